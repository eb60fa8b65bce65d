import { recordAudit } from '../../audit/recordAudit.js';
import type { SubscriptionSnapshot } from '../events.js';
import { trialEndsSoon } from '../trial.js';
import type { HandlerContext } from './handlerContext.js';
import { resolvePlan } from './pendingPlan.js';
import { announceTransitions } from './subscriptionTransitions.js';

export type SubscriptionState = Omit<SubscriptionSnapshot, 'planId'> & { planId: string | null };

/**
 * Writes the workspace's subscription and tells the owners about what changed (subscriptionTransitions.ts).
 * Beside the processor's state it keeps the core's own: the plan paid for while a downgrade waits for the
 * period end (pendingPlan.ts), that the workspace has had its trial, and when a past_due spell began (the
 * start of the dunning grace; a new spell starts it afresh).
 */
export async function writeSubscriptionState(
  ctx: HandlerContext,
  incoming: SubscriptionState,
  action: string,
  /** Set by subscription.ended only: the end of a subscription not stored yet is told too (a never-paid one arrives as a changed state instead). */
  options: { endsUnseenSubscription?: boolean } = {},
): Promise<void> {
  const { tx, workspace: prev } = ctx;
  const { planId, pendingPlan } = resolvePlan(prev, incoming);
  const next = { ...incoming, planId };
  const stillPastDue = next.status === 'past_due' && prev.subscriptionStatus === 'past_due' && prev.subscriptionId === next.subscriptionId;
  const pastDueSince = next.status !== 'past_due' ? null : stillPastDue ? (prev.pastDueSince ?? next.occurredAt) : next.occurredAt;
  // The notice is due once the trial ends within the notice period of this state's time (Stripe's
  // trial_will_end is such a state); the billing sweep covers processors that send none.
  const trialEnding = !prev.trialEndingNotifiedAt && next.status === 'trialing' && next.trialEnd !== null && trialEndsSoon(next.trialEnd, next.occurredAt);
  const state = {
    plan: next.planId,
    status: next.status,
    cancelAtPeriodEnd: next.cancelAtPeriodEnd,
    currentPeriodEnd: next.currentPeriodEnd,
    trialEnd: next.trialEnd,
    ...(next.quantity !== undefined && { quantity: next.quantity }),
    processorUpdatedAt: next.occurredAt,
    pendingPlan,
    pastDueSince,
    graceExpiredAt: stillPastDue ? prev.graceExpiredAt : null,
  };
  await tx.subscription.upsert({
    where: { processor_subscriptionId: { processor: ctx.processor.id, subscriptionId: next.subscriptionId } },
    create: { workspaceId: prev.id, processor: ctx.processor.id, subscriptionId: next.subscriptionId, ...state },
    update: state,
  });
  const trialUsed = !prev.trialUsedAt && (next.status === 'trialing' || next.trialEnd !== null);
  if (trialUsed || trialEnding) {
    await tx.workspace.update({
      where: { id: prev.id },
      data: { ...(trialUsed && { trialUsedAt: next.occurredAt }), ...(trialEnding && { trialEndingNotifiedAt: new Date() }) },
    });
  }
  await recordAudit(tx, {
    workspaceId: prev.id,
    actor: ctx.actor,
    action,
    target: next.subscriptionId,
    metadata: {
      from: { plan: prev.subscriptionPlan, status: prev.subscriptionStatus, cancelAtPeriodEnd: prev.cancelAtPeriodEnd, pendingPlan: prev.pendingPlan },
      to: { plan: next.planId, status: next.status, cancelAtPeriodEnd: next.cancelAtPeriodEnd, currentPeriodEnd: next.currentPeriodEnd, pendingPlan },
    },
  });
  await announceTransitions(ctx, { ...next, pastDueSince, trialEnding }, options);
}

/** An event that changes nothing still leaves a trace, so operators can see why. */
export async function recordIgnored(ctx: HandlerContext, subscriptionId: string, reason: string, occurredAt: Date): Promise<void> {
  await recordAudit(ctx.tx, {
    workspaceId: ctx.workspace.id,
    actor: ctx.actor,
    action: 'subscription.event_ignored',
    target: subscriptionId,
    metadata: { reason, eventTime: occurredAt.toISOString(), storedTime: ctx.workspace.subscriptionUpdatedAt?.toISOString() ?? null },
  });
}

/**
 * A state of another subscription than the current one, which the rules do not let replace it (the
 * workspace has a running one): its own record still follows it, silently, so a subscription the
 * processor ended never shows as running once the current one stops. One never applied stays unknown.
 */
export async function followOtherSubscription(ctx: HandlerContext, s: SubscriptionState): Promise<void> {
  const where = { processor_subscriptionId: { processor: ctx.processor.id, subscriptionId: s.subscriptionId } };
  const own = await ctx.tx.subscription.findUnique({ where });
  if (!own || own.workspaceId !== ctx.workspace.id || (own.processorUpdatedAt && own.processorUpdatedAt >= s.occurredAt)) return;
  await ctx.tx.subscription.update({
    where,
    data: {
      ...(s.planId !== null && { plan: s.planId }),
      status: s.status,
      cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      currentPeriodEnd: s.currentPeriodEnd,
      trialEnd: s.trialEnd,
      processorUpdatedAt: s.occurredAt,
      pastDueSince: s.status !== 'past_due' ? null : own.status === 'past_due' ? own.pastDueSince : s.occurredAt,
    },
  });
}
