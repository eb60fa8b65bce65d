import { recordAudit } from '../../audit/recordAudit.js';
import { enqueueForWorkspaceOwners } from '../../email/outbox.js';
import { isEntitled, isTerminal } from '../entitlement.js';
import type { SubscriptionSnapshot } from '../events.js';
import { getPlan } from '../plans.js';
import type { HandlerContext } from './handlerContext.js';

export type SubscriptionState = Omit<SubscriptionSnapshot, 'planId'> & { planId: string | null };

/**
 * Writes the workspace's subscription and tells the owners about what changed. Emails follow
 * transitions of the stored state, so a repeated event (which is no transition) sends nothing.
 */
export async function writeSubscriptionState(
  ctx: HandlerContext,
  next: SubscriptionState,
  action: string,
  /** Set by subscription.ended only: the end of a subscription not stored yet is told too (a never-paid one arrives as a changed state instead). */
  options: { endsUnseenSubscription?: boolean } = {},
): Promise<void> {
  const { tx, workspace: prev } = ctx;
  await tx.workspace.update({
    where: { id: prev.id },
    data: {
      paymentProcessor: prev.paymentProcessor ?? ctx.processor.id,
      subscriptionId: next.subscriptionId,
      subscriptionPlan: next.planId,
      subscriptionStatus: next.status,
      cancelAtPeriodEnd: next.cancelAtPeriodEnd,
      currentPeriodEnd: next.currentPeriodEnd,
      trialEnd: next.trialEnd,
      subscriptionUpdatedAt: next.occurredAt,
    },
  });
  await recordAudit(tx, {
    workspaceId: prev.id,
    actor: ctx.actor,
    action,
    target: next.subscriptionId,
    metadata: {
      from: { plan: prev.subscriptionPlan, status: prev.subscriptionStatus, cancelAtPeriodEnd: prev.cancelAtPeriodEnd },
      to: { plan: next.planId, status: next.status, cancelAtPeriodEnd: next.cancelAtPeriodEnd, currentPeriodEnd: next.currentPeriodEnd },
    },
  });

  const planName = next.planId ? getPlan(next.planId).name : null;
  const endsUnseen = options.endsUnseenSubscription === true && prev.subscriptionId !== next.subscriptionId && !isEntitled(prev.subscriptionStatus);
  if (isTerminal(next.status) && (isEntitled(prev.subscriptionStatus) || endsUnseen)) {
    await enqueueForWorkspaceOwners(tx, prev.id, 'subscription_ended', { workspaceName: prev.name, planName });
  } else if (!prev.cancelAtPeriodEnd && next.cancelAtPeriodEnd && !isTerminal(next.status)) {
    await enqueueForWorkspaceOwners(tx, prev.id, 'subscription_cancelled', {
      workspaceName: prev.name,
      planName,
      accessUntil: next.currentPeriodEnd?.toISOString() ?? null,
    });
  }
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
