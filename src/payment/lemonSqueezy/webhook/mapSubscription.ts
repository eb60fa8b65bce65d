import type { BillingEvent } from '../../events.js';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { SubscriptionMappingError } from '../../webhookErrors.js';
import { snapshotFromSubscription } from '../lemonSqueezySubscription.js';
import type { MapContext } from './mapContext.js';
import { parsePayload, subscriptionSchema, type SubscriptionPayload } from './payloadSchemas.js';
import { workspaceRef } from './workspaceRef.js';

const readSubscription = (ctx: MapContext): SubscriptionPayload => parsePayload(subscriptionSchema, ctx.attributes, ctx.eventName, 'data.attributes');
const refOf = (subscription: SubscriptionPayload, ctx: MapContext) => workspaceRef(ctx.custom.workspaceId, subscription.customer_id, ctx.eventName);

/**
 * subscription_created / _updated / _cancelled / _resumed / _paused / _unpaused / _plan_changed: the
 * subscription's whole state, stamped with its `updated_at` so an older event never overwrites a newer
 * one. subscription_cancelled is a grace period until ends_at (still active, cancelAtPeriodEnd), not
 * an end; see snapshotFromSubscription.
 */
export function mapSubscriptionChanged(ctx: MapContext): BillingEvent[] {
  const subscription = readSubscription(ctx);
  try {
    return [
      {
        type: 'subscription.changed',
        ref: refOf(subscription, ctx),
        subscription: snapshotFromSubscription(ctx.objectId, subscription, ctx.planIds, subscription.updated_at),
      },
    ];
  } catch (error) {
    if (error instanceof SubscriptionMappingError) {
      throw new WebhookPayloadError(`Lemon Squeezy ${ctx.eventName} payload invalid: data.attributes.${error.path}: ${error.problem}`);
    }
    throw error;
  }
}

/**
 * subscription_expired: the end, final for that subscription (the grace period ran out, or dunning gave
 * up). It carries the final plan (its variant's; null if not one of ours, the end still applies).
 */
export function mapSubscriptionExpired(ctx: MapContext): BillingEvent[] {
  const subscription = readSubscription(ctx);
  return [
    {
      type: 'subscription.ended',
      ref: refOf(subscription, ctx),
      subscriptionId: ctx.objectId,
      planId: ctx.planIds.findPlan(subscription.variant_id)?.id ?? null,
      currentPeriodEnd: subscription.ends_at ?? subscription.renews_at,
      endedAt: subscription.ends_at ?? subscription.updated_at,
      occurredAt: subscription.updated_at,
    },
  ];
}
