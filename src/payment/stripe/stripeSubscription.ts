import type Stripe from 'stripe';
import type { SubscriptionSnapshot, SubscriptionStatus } from '../events.js';
import { ProcessorError } from '../paymentProcessor.js';
import { SubscriptionMappingError } from '../webhookErrors.js';
import type { ProcessorPlanIds } from '../processorPlanIds.js';
import { isNotFound, toProcessorError } from './stripeErrors.js';

/** Stripe's statuses, one to one: our enum keeps every distinction (entitlement is derived elsewhere). */
export const STRIPE_SUBSCRIPTION_STATUS = {
  trialing: 'trialing',
  active: 'active',
  past_due: 'past_due',
  canceled: 'canceled',
  unpaid: 'unpaid',
  incomplete: 'incomplete',
  incomplete_expired: 'incomplete_expired',
  paused: 'paused',
} as const satisfies { [S in SubscriptionStatus]: S } & Partial<Record<Stripe.Subscription.Status, SubscriptionStatus>>;

export type StripeSubscriptionStatus = keyof typeof STRIPE_SUBSCRIPTION_STATUS;
export const stripeSubscriptionStatuses = Object.keys(STRIPE_SUBSCRIPTION_STATUS) as [StripeSubscriptionStatus, ...StripeSubscriptionStatus[]];

/** The fields a snapshot is made of; a Stripe.Subscription and the webhook's parsed payload both have them. */
export interface SubscriptionFields {
  id: string;
  status: string;
  cancel_at_period_end: boolean;
  cancel_at: number | null;
  trial_end: number | null;
  items: { data: ReadonlyArray<{ price: { id: string }; current_period_end: number; quantity?: number }> };
}


export const fromUnixSeconds = (seconds: number): Date => new Date(seconds * 1000);

/**
 * Our snapshot of a Stripe subscription at `occurredAt` (the event's `created`, or now for a refetch).
 * The plan and period come from the first item (one price per subscription in this plugin; the
 * period lives on items since API 2025-03-31). A set `cancel_at` ends it at that time without renewal,
 * which the app treats like cancel-at-period-end: access continues, no renewal follows.
 */
export function snapshotFromSubscription(subscription: SubscriptionFields, planIds: ProcessorPlanIds, occurredAt: Date): SubscriptionSnapshot {
  const item = subscription.items.data[0];
  if (!item) throw new SubscriptionMappingError('items.data', 'the subscription has no items');
  const plan = planIds.findPlan(item.price.id);
  if (!plan) throw new SubscriptionMappingError('items.data.0.price.id', `price ${item.price.id} is not one of our plans (check PAYMENTS_*_PLAN_ID)`);
  if (!Object.hasOwn(STRIPE_SUBSCRIPTION_STATUS, subscription.status)) {
    throw new SubscriptionMappingError('status', `unknown subscription status "${subscription.status}"`);
  }
  return {
    subscriptionId: subscription.id,
    planId: plan.id,
    status: STRIPE_SUBSCRIPTION_STATUS[subscription.status as StripeSubscriptionStatus],
    cancelAtPeriodEnd: subscription.cancel_at_period_end || subscription.cancel_at !== null,
    currentPeriodEnd: fromUnixSeconds(item.current_period_end),
    trialEnd: subscription.trial_end === null ? null : fromUnixSeconds(subscription.trial_end),
    ...(item.quantity !== undefined && { quantity: item.quantity }),
    occurredAt,
  };
}

/** The subscription as Stripe holds it now, for when two events carry the same second; null when Stripe has none. */
export async function fetchStripeSubscription(
  stripe: Stripe,
  subscriptionId: string,
  planIds: ProcessorPlanIds,
  now: () => Date = () => new Date(),
): Promise<SubscriptionSnapshot | null> {
  const what = `Could not fetch subscription ${subscriptionId}`;
  let subscription: Stripe.Subscription;
  try {
    subscription = await stripe.subscriptions.retrieve(subscriptionId);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw toProcessorError(error, what);
  }
  try {
    return snapshotFromSubscription(subscription, planIds, now());
  } catch (error) {
    if (error instanceof SubscriptionMappingError) throw new ProcessorError('api', `${what}: ${error.message}`);
    throw error;
  }
}
