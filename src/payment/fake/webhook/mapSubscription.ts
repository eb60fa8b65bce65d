import type { z } from 'zod';
import type { BillingEvent, SubscriptionSnapshot, SubscriptionStatus } from '../../events.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { planOfPrice, workspaceRefOf, type MapContext } from './mapContext.js';
import type { fakeSubscriptionStates, subscriptionSchema } from './payloadSchemas.js';

type Subscription = z.output<typeof subscriptionSchema>;

const statusOfState: Record<(typeof fakeSubscriptionStates)[number], SubscriptionStatus> = {
  trial: 'trialing',
  active: 'active',
  overdue: 'past_due',
  ended: 'canceled',
};

/** The subscription as the core keeps it, stamped with the API's `updated` (the same for a webhook and a refetch). */
export function subscriptionSnapshot(subscription: Subscription, planIds: ProcessorPlanIds): SubscriptionSnapshot {
  return {
    subscriptionId: subscription.id,
    planId: planOfPrice(subscription.price, planIds),
    status: statusOfState[subscription.state],
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    currentPeriodEnd: new Date(subscription.period_end),
    trialEnd: subscription.trial_end === null ? null : new Date(subscription.trial_end),
    occurredAt: new Date(subscription.updated),
  };
}

export function mapSubscriptionUpdated(subscription: Subscription, ctx: MapContext): BillingEvent[] {
  return [{ type: 'subscription.changed', ref: workspaceRefOf(subscription), subscription: subscriptionSnapshot(subscription, ctx.planIds) }];
}

export function mapSubscriptionDeleted(subscription: Subscription, ctx: MapContext): BillingEvent[] {
  return [
    {
      type: 'subscription.ended',
      ref: workspaceRefOf(subscription),
      subscriptionId: subscription.id,
      planId: ctx.planIds.findPlan(subscription.price)?.id ?? null,
      currentPeriodEnd: new Date(subscription.period_end),
      endedAt: new Date(subscription.updated),
      occurredAt: new Date(subscription.updated),
    },
  ];
}
