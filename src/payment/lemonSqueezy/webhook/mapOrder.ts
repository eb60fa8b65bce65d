import type { BillingEvent } from '../../events.js';
import { checkoutModeOf, getPlan, type Plan } from '../../plans.js';
import type { MapContext } from './mapContext.js';
import { orderMoneyId } from './moneyIds.js';
import { orderSchema, parsePayload, refundedAmountOf, type OrderPayload } from './payloadSchemas.js';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { workspaceRef } from './workspaceRef.js';

const readOrder = (ctx: MapContext): OrderPayload => parsePayload(orderSchema, ctx.attributes, ctx.eventName, 'data.attributes');
const refOf = (order: OrderPayload, ctx: MapContext) => workspaceRef(ctx.custom.workspaceId, order.customer_id, ctx.eventName);

/**
 * The plan an order bought: its variant's when the variant is one of ours (that is what was paid for),
 * else the plan our checkout named in custom data; undefined for a product that is not one of our plans.
 */
function planOf(order: OrderPayload, ctx: MapContext): Plan | undefined {
  const ofVariant = ctx.planIds.findPlan(order.first_order_item.variant_id);
  if (ofVariant) return ofVariant;
  return ctx.custom.planId === undefined ? undefined : getPlan(ctx.custom.planId);
}

/**
 * order_created: the buyer paid at checkout. Links the customer Lemon Squeezy created (or found) to the
 * workspace. A one-time purchase (a credit pack) is also the payment, under the order id. A
 * subscription's order is not: its money arrives as subscription_payment_success for the initial
 * invoice (moneyIds.ts). An unpaid order (pending, failed) is acknowledged without events. (An order
 * that is not ours never gets here: relevance.ts.) One of our workspace's that names no plan of ours is
 * unreadable: a variant id that changed under PAYMENTS_*_PLAN_ID.
 */
export function mapOrderCreated(ctx: MapContext): BillingEvent[] {
  const order = readOrder(ctx);
  if (order.status !== 'paid') return [];
  const plan = planOf(order, ctx);
  if (!plan) {
    throw new WebhookPayloadError(
      `Lemon Squeezy ${ctx.eventName} payload invalid: data.attributes.first_order_item.variant_id: variant ${order.first_order_item.variant_id} is not one of our plans (check PAYMENTS_*_PLAN_ID) and custom data names no plan`,
    );
  }
  const ref = refOf(order, ctx);
  const events: BillingEvent[] = [{ type: 'checkout.completed', ref, customerId: order.customer_id, sessionId: ctx.objectId, planId: plan.id }];
  if (checkoutModeOf(plan) === 'payment') {
    events.push({
      type: 'payment.succeeded',
      ref,
      money: { moneyId: orderMoneyId(ctx.objectId), amount: order.total, currency: order.currency },
      planId: plan.id,
      paidAt: order.created_at,
    });
  }
  return events;
}

/** order_refunded: money back, with the order's cumulative refunded amount (a repeated or reordered refund is harmless). */
export function mapOrderRefunded(ctx: MapContext): BillingEvent[] {
  const order = readOrder(ctx);
  return [
    {
      type: 'payment.refunded',
      ref: refOf(order, ctx),
      moneyId: orderMoneyId(ctx.objectId),
      amountRefunded: refundedAmountOf(order, ctx.eventName),
      currency: order.currency,
      refundedAt: order.refunded_at ?? order.updated_at,
    },
  ];
}
