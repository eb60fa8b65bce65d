import { isEntitled, isTerminal } from '../../entitlement.js';
import type { BillingEvent, SubscriptionSnapshot } from '../../events.js';
import { FetchBeforeApplying } from '../freshFetch.js';
import type { HandlerContext } from '../handlerContext.js';
import { followOtherSubscription, recordIgnored, writeSubscriptionState } from '../subscriptionState.js';

/** Stale events never win: a snapshot applies only if it is newer than what the workspace holds. */
export async function subscriptionChanged(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'subscription.changed' }>) {
  const { workspace } = ctx;
  const incoming = event.subscription;
  const sameSubscription = workspace.subscriptionId === incoming.subscriptionId;
  const stored = workspace.subscriptionUpdatedAt;

  if (sameSubscription && isTerminal(workspace.subscriptionStatus) && !isTerminal(incoming.status)) {
    return recordIgnored(ctx, incoming.subscriptionId, 'the subscription has already ended', incoming.occurredAt);
  }
  if (stored && incoming.occurredAt < stored) {
    if (!sameSubscription) await followOtherSubscription(ctx, incoming);
    return recordIgnored(ctx, incoming.subscriptionId, 'older than the stored state', incoming.occurredAt);
  }
  if (!sameSubscription && isEntitled(workspace.subscriptionStatus) && !isEntitled(incoming.status)) {
    await followOtherSubscription(ctx, incoming);
    return recordIgnored(ctx, incoming.subscriptionId, 'the workspace has another active subscription', incoming.occurredAt);
  }

  let next: SubscriptionSnapshot = incoming;
  // Same processor second and a different state: the order is undecidable, so the processor's current
  // copy decides, fetched outside this transaction (freshFetch.ts).
  if (sameSubscription && stored?.getTime() === incoming.occurredAt.getTime() && differsFromStored(ctx, incoming)) {
    const current = ctx.freshSubscription(incoming.subscriptionId);
    if (current === undefined) throw new FetchBeforeApplying(incoming.subscriptionId);
    if (current) next = { ...current, occurredAt: incoming.occurredAt };
  }
  await writeSubscriptionState(ctx, next, 'subscription.updated');
}

function differsFromStored({ workspace }: HandlerContext, s: SubscriptionSnapshot): boolean {
  return (
    workspace.subscriptionStatus !== s.status ||
    workspace.subscriptionPlan !== s.planId ||
    workspace.cancelAtPeriodEnd !== s.cancelAtPeriodEnd ||
    workspace.currentPeriodEnd?.getTime() !== s.currentPeriodEnd?.getTime()
  );
}
