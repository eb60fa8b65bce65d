import { WebhookPayloadError } from '../../webhookErrors.js';
import { SubscriptionMappingError } from '../../webhookErrors.js';
import { fromUnixSeconds, snapshotFromSubscription } from '../stripeSubscription.js';
import type { MapContext } from './mapContext.js';
import { notOurs, type Mapping } from './mapping.js';
import { parsePayload, subscriptionSchema, type SubscriptionPayload } from './payloadSchemas.js';
import { subscriptionNotOurs } from './relevance.js';
import { workspaceRef } from './workspaceRef.js';

function readSubscription(object: unknown, ctx: MapContext): SubscriptionPayload {
  return parsePayload(subscriptionSchema, object, ctx.eventType, 'data.object');
}

const refOf = (subscription: SubscriptionPayload, ctx: MapContext) => workspaceRef(subscription.metadata.workspaceId, subscription.customer, ctx.eventType);

/**
 * customer.subscription.created / updated / trial_will_end: the subscription's whole state, stamped
 * with the event's time so an older event never overwrites it (trial_will_end changes nothing at
 * Stripe, it just keeps our state fresh). One that names our workspace but a price that is not one of
 * our plans is ours and unreadable (PAYMENTS_*_PLAN_ID is wrong): stored failed, replayable after the fix.
 */
export function mapSubscriptionChanged(object: unknown, ctx: MapContext): Mapping {
  const foreign = subscriptionNotOurs(object, ctx.planIds);
  if (foreign) return notOurs(foreign);
  const subscription = readSubscription(object, ctx);
  const ref = refOf(subscription, ctx);
  try {
    return [{ type: 'subscription.changed', ref, subscription: snapshotFromSubscription(subscription, ctx.planIds, ctx.occurredAt) }];
  } catch (error) {
    if (error instanceof SubscriptionMappingError) {
      throw new WebhookPayloadError(`Stripe ${ctx.eventType} payload invalid: data.object.${error.path}: ${error.problem}`);
    }
    throw error;
  }
}

/**
 * customer.subscription.deleted: the subscription has ended (canceled now, or at the end of its period).
 * It carries the whole final subscription: its plan (the first item's price; null if not one of ours,
 * the end of a subscription of our workspace still applies) and period end.
 */
export function mapSubscriptionDeleted(object: unknown, ctx: MapContext): Mapping {
  const foreign = subscriptionNotOurs(object, ctx.planIds);
  if (foreign) return notOurs(foreign);
  const subscription = readSubscription(object, ctx);
  const item = subscription.items.data[0]!;
  return [
    {
      type: 'subscription.ended',
      ref: refOf(subscription, ctx),
      subscriptionId: subscription.id,
      planId: ctx.planIds.findPlan(item.price.id)?.id ?? null,
      currentPeriodEnd: fromUnixSeconds(item.current_period_end),
      endedAt: subscription.ended_at === null ? ctx.occurredAt : fromUnixSeconds(subscription.ended_at),
      occurredAt: ctx.occurredAt,
    },
  ];
}
