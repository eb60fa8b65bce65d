import { isTerminal } from '../../entitlement.js';
import type { BillingEvent } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';
import { recordIgnored, writeSubscriptionState } from '../subscriptionState.js';

/** The end is final for that subscription, whatever its timestamp; it never ends another one. */
export async function subscriptionEnded(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'subscription.ended' }>) {
  const { workspace } = ctx;
  if (workspace.subscriptionId && workspace.subscriptionId !== event.subscriptionId) {
    return recordIgnored(ctx, event.subscriptionId, "not the workspace's current subscription", event.occurredAt);
  }
  if (isTerminal(workspace.subscriptionStatus)) {
    return recordIgnored(ctx, event.subscriptionId, 'the subscription has already ended', event.occurredAt);
  }
  const stored = workspace.subscriptionUpdatedAt;
  await writeSubscriptionState(
    ctx,
    {
      subscriptionId: event.subscriptionId,
      planId: workspace.subscriptionPlan,
      status: 'canceled',
      cancelAtPeriodEnd: false,
      currentPeriodEnd: workspace.currentPeriodEnd,
      trialEnd: workspace.trialEnd,
      occurredAt: stored && stored > event.occurredAt ? stored : event.occurredAt,
    },
    'subscription.ended',
  );
}
