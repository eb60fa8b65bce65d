import { getSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import type { SubscriptionSnapshot, SubscriptionStatus } from '../events.js';
import { ProcessorError } from '../paymentProcessor.js';
import { SubscriptionMappingError } from '../webhookErrors.js';
import type { ProcessorPlanIds } from '../processorPlanIds.js';
import type { LemonSqueezyCaller } from './lemonSqueezyErrors.js';
import { LEMON_SQUEEZY_SUBSCRIPTION_STATUS, type LemonSqueezyStatus } from './lemonSqueezySubscriptionStatus.js';
import { apiSubscriptionSchema } from './webhook/payloadSchemas.js';

/** The attributes a snapshot is made of; the API's subscription and the webhook's parsed payload both have them. */
export interface SubscriptionFields {
  variant_id: string;
  status: LemonSqueezyStatus;
  cancelled: boolean;
  renews_at: Date | null;
  ends_at: Date | null;
  trial_ends_at: Date | null;
  first_subscription_item?: { quantity: number } | null;
}


/**
 * Our snapshot of a Lemon Squeezy subscription as of `occurredAt` (the subscription's `updated_at` in a
 * webhook, now for a refetch). The plan is its variant's.
 *
 * - cancelled: still running until `ends_at` → active, cancelAtPeriodEnd, period end = ends_at. Only
 *   once `ends_at` is not after `occurredAt` is it over (Lemon Squeezy then expires it) → canceled.
 * - expired → canceled (nothing pending any more, so cancelAtPeriodEnd is false).
 * - otherwise the period ends at `renews_at` (for past_due: the next retry of the renewal charge).
 */
export function snapshotFromSubscription(subscriptionId: string, s: SubscriptionFields, planIds: ProcessorPlanIds, occurredAt: Date): SubscriptionSnapshot {
  const plan = planIds.findPlan(s.variant_id);
  if (!plan) throw new SubscriptionMappingError('variant_id', `variant ${s.variant_id} is not one of our plans (check PAYMENTS_*_PLAN_ID)`);
  let status: SubscriptionStatus = LEMON_SQUEEZY_SUBSCRIPTION_STATUS[s.status];
  if (s.status === 'cancelled') {
    if (!s.ends_at) throw new SubscriptionMappingError('ends_at', 'a cancelled subscription has the time its grace period ends');
    if (s.ends_at <= occurredAt) status = 'canceled';
  }
  const ended = status === 'canceled';
  return {
    subscriptionId,
    planId: plan.id,
    status,
    cancelAtPeriodEnd: s.cancelled && !ended,
    currentPeriodEnd: s.cancelled || ended ? (s.ends_at ?? s.renews_at) : s.renews_at,
    trialEnd: s.trial_ends_at,
    ...(s.first_subscription_item && { quantity: s.first_subscription_item.quantity }),
    occurredAt,
  };
}

/** The subscription as Lemon Squeezy holds it now, for when two events carry the same time; null when it has none. */
export async function fetchLemonSqueezySubscription(
  caller: LemonSqueezyCaller,
  subscriptionId: string,
  planIds: ProcessorPlanIds,
  now: () => Date = () => new Date(),
): Promise<SubscriptionSnapshot | null> {
  const what = `Could not fetch subscription ${subscriptionId}`;
  const response = await caller.find(what, () => getSubscription(subscriptionId));
  if (!response) return null;
  const parsed = apiSubscriptionSchema.safeParse(response);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ProcessorError('api', `${what}: unexpected answer at ${issue ? issue.path.join('.') : 'data'}: ${issue?.message ?? 'invalid'}`);
  }
  try {
    return snapshotFromSubscription(parsed.data.data.id, parsed.data.data.attributes, planIds, now());
  } catch (error) {
    if (error instanceof SubscriptionMappingError) throw new ProcessorError('api', `${what}: data.attributes.${error.message}`);
    throw error;
  }
}
