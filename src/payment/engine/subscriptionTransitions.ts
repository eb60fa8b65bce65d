import { enqueueForWorkspaceOwners } from '../../email/outbox.js';
import { isEntitled, isTerminal } from '../entitlement.js';
import type { HandlerContext } from './handlerContext.js';
import { noticePastDue, noticeRecovered, noticeTrialEnding, planNameOf, type NoticeTarget } from './subscriptionNotices.js';
import type { SubscriptionState } from './subscriptionState.js';

/** The state just written, with the core's own fields the transitions read. */
export interface WrittenState extends SubscriptionState {
  pastDueSince: Date | null;
  /** This write claimed the trial-ending notice (see writeSubscriptionState). */
  trialEnding: boolean;
}

/**
 * Tells the owners what changed between the stored state (`ctx.workspace`, before the write) and `next`.
 * Each email follows a transition of the stored state, so a repeated or stale event, which is none,
 * sends nothing twice. `endsUnseenSubscription`: the end of a subscription not stored yet is told too.
 */
export async function announceTransitions(ctx: HandlerContext, next: WrittenState, options: { endsUnseenSubscription?: boolean }): Promise<void> {
  const { tx, workspace: prev, actor } = ctx;
  const same = prev.subscriptionId === next.subscriptionId;
  const workspaceName = prev.name;
  const planName = planNameOf(next.planId);

  if (isTerminal(next.status)) {
    const endsUnseen = options.endsUnseenSubscription === true && !same && !isEntitled(prev.subscriptionStatus);
    if (isEntitled(prev.subscriptionStatus) || endsUnseen) await enqueueForWorkspaceOwners(tx, prev.id, 'subscription_ended', { workspaceName, planName });
    return;
  }
  if (!prev.cancelAtPeriodEnd && next.cancelAtPeriodEnd) {
    await enqueueForWorkspaceOwners(tx, prev.id, 'subscription_cancelled', { workspaceName, planName, accessUntil: next.currentPeriodEnd?.toISOString() ?? null });
  }
  if (same && prev.cancelAtPeriodEnd && !next.cancelAtPeriodEnd) {
    await enqueueForWorkspaceOwners(tx, prev.id, 'subscription_resumed', { workspaceName, planName, renewsOn: next.currentPeriodEnd?.toISOString() ?? null });
  }
  if (same && prev.subscriptionPlan && next.planId && prev.subscriptionPlan !== next.planId) {
    await enqueueForWorkspaceOwners(tx, prev.id, 'plan_changed', { workspaceName, fromPlanName: planNameOf(prev.subscriptionPlan), toPlanName: planName ?? next.planId });
  }

  const target: NoticeTarget = { id: prev.id, name: prev.name, subscriptionId: next.subscriptionId, subscriptionPlan: next.planId };
  const wasPastDue = same && prev.subscriptionStatus === 'past_due';
  if (next.status === 'past_due' && !wasPastDue) await noticePastDue(tx, actor, target, next.pastDueSince!);
  if (wasPastDue && (next.status === 'active' || next.status === 'trialing')) {
    await noticeRecovered(tx, actor, target, { since: prev.pastDueSince, accessHadEnded: prev.graceExpiredAt !== null });
  }
  if (next.trialEnding) await noticeTrialEnding(tx, actor, target, next.trialEnd!);
}
