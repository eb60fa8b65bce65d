import type { BillingEvent } from '../../events.js';
import type { MapContext } from './mapContext.js';
import { invoiceMoneyId } from './moneyIds.js';
import { parsePayload, refundedAmountOf, subscriptionInvoiceSchema, type SubscriptionInvoicePayload } from './payloadSchemas.js';
import { workspaceRef } from './workspaceRef.js';

const readInvoice = (ctx: MapContext): SubscriptionInvoicePayload => parsePayload(subscriptionInvoiceSchema, ctx.attributes, ctx.eventName, 'data.attributes');
const refOf = (invoice: SubscriptionInvoicePayload, ctx: MapContext) => workspaceRef(ctx.custom.workspaceId, invoice.customer_id, ctx.eventName);

/*
 * subscription_payment_* are about a subscription invoice (data.type "subscription-invoices", data.id the
 * invoice id). The invoice names its subscription but no variant. The plan in custom data is the one
 * bought at checkout: right for the first invoice (billing_reason "initial", which may arrive before the
 * subscription itself), stale after a plan change. So the first invoice carries that plan, and every
 * invoice carries its subscription id: for the others the core takes the plan that subscription is
 * billed on (engine/pendingPlan.ts billedPlanOf).
 */
const planOf = (invoice: SubscriptionInvoicePayload, ctx: MapContext) => ({
  planId: invoice.billing_reason === 'initial' ? (ctx.custom.planId ?? null) : null,
  subscriptionId: invoice.subscription_id,
});

/** subscription_payment_success and subscription_payment_recovered: the invoice was paid, under one money id. */
export function mapSubscriptionPaymentSucceeded(ctx: MapContext): BillingEvent[] {
  const invoice = readInvoice(ctx);
  return [
    {
      type: 'payment.succeeded',
      ref: refOf(invoice, ctx),
      money: { moneyId: invoiceMoneyId(ctx.objectId), amount: invoice.total, currency: invoice.currency },
      ...planOf(invoice, ctx),
      paidAt: invoice.updated_at,
    },
  ];
}

/** subscription_payment_failed: one attempt failed; Lemon Squeezy retries (past_due comes with subscription_updated). */
export function mapSubscriptionPaymentFailed(ctx: MapContext): BillingEvent[] {
  const invoice = readInvoice(ctx);
  return [
    {
      type: 'payment.failed',
      ref: refOf(invoice, ctx),
      money: { moneyId: invoiceMoneyId(ctx.objectId), amount: invoice.total, currency: invoice.currency },
      ...planOf(invoice, ctx),
      failedAt: invoice.updated_at,
      // Lemon Squeezy's invoice says that it failed, not why.
      reason: null,
    },
  ];
}

/** subscription_payment_refunded: the invoice's cumulative refunded amount. */
export function mapSubscriptionPaymentRefunded(ctx: MapContext): BillingEvent[] {
  const invoice = readInvoice(ctx);
  return [
    {
      type: 'payment.refunded',
      ref: refOf(invoice, ctx),
      moneyId: invoiceMoneyId(ctx.objectId),
      amountRefunded: refundedAmountOf(invoice, ctx.eventName),
      currency: invoice.currency,
      refundedAt: invoice.refunded_at ?? invoice.updated_at,
    },
  ];
}
