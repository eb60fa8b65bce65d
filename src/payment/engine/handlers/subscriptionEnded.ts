import { isEntitled, isTerminal } from '../../entitlement.js';
import type { BillingEvent } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';
import { followOtherSubscription, recordIgnored, writeSubscriptionState } from '../subscriptionState.js';

/**
 * The end is final for that subscription, whatever its timestamp; it never ends another active one.
 * It carries the processor's final description (plan, period end), so the stored state is right even
 * when older states of the subscription arrive after it (they are then ignored as "already ended"),
 * or never arrived before it.
 */
export async function subscriptionEnded(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'subscription.ended' }>) {
  const { workspace } = ctx;
  const sameSubscription = workspace.subscriptionId === event.subscriptionId;
  const stored = workspace.subscriptionUpdatedAt;
  if (!sameSubscription && workspace.subscriptionId) {
    if (isEntitled(workspace.subscriptionStatus)) {
      const ended = { subscriptionId: event.subscriptionId, planId: event.planId ?? null, status: 'canceled', cancelAtPeriodEnd: false, trialEnd: null } as const;
      await followOtherSubscription(ctx, { ...ended, currentPeriodEnd: event.currentPeriodEnd ?? null, occurredAt: event.occurredAt });
      return recordIgnored(ctx, event.subscriptionId, "not the workspace's current subscription", event.occurredAt);
    }
    // Another subscription that is not running: the end replaces it only if it is newer.
    if (stored && event.occurredAt < stored) {
      return recordIgnored(ctx, event.subscriptionId, 'older than the stored state', event.occurredAt);
    }
  }
  if (sameSubscription && isTerminal(workspace.subscriptionStatus)) {
    return recordIgnored(ctx, event.subscriptionId, 'the subscription has already ended', event.occurredAt);
  }
  await writeSubscriptionState(
    ctx,
    {
      subscriptionId: event.subscriptionId,
      planId: event.planId ?? (sameSubscription ? workspace.subscriptionPlan : null),
      status: 'canceled',
      cancelAtPeriodEnd: false,
      currentPeriodEnd: event.currentPeriodEnd ?? (sameSubscription ? workspace.currentPeriodEnd : null),
      trialEnd: sameSubscription ? workspace.trialEnd : null,
      occurredAt: stored && stored > event.occurredAt ? stored : event.occurredAt,
    },
    'subscription.ended',
    // A subscription we had not seen yet (its states arrive after its end): it ran, so tell the owners.
    { endsUnseenSubscription: !sameSubscription },
  );
}
