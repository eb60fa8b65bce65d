import type { BillingEvent } from '../../events.js';
import type { MapContext } from './mapContext.js';
import { isOneTimePlanId } from './moneyIds.js';
import { chargeSchema, parsePayload, type ChargePayload } from './payloadSchemas.js';
import { workspaceRef } from './workspaceRef.js';

/**
 * charge.refunded: money back out, with the charge's cumulative refunded amount (so a repeated or
 * reordered refund event is harmless), under the money id its payment was recorded with.
 */
export async function mapChargeRefunded(object: unknown, ctx: MapContext): Promise<BillingEvent[]> {
  const charge = parsePayload(chargeSchema, object, ctx.eventType, 'data.object');
  return [
    {
      type: 'payment.refunded',
      ref: workspaceRef(charge.metadata.workspaceId, charge.customer, ctx.eventType),
      moneyId: await refundedMoneyId(charge, ctx),
      amountRefunded: charge.amount_refunded,
      currency: charge.currency,
      refundedAt: ctx.occurredAt,
    },
  ];
}

/**
 * See moneyIds.ts. A one-time checkout's charge carries our metadata (Stripe copies the payment
 * intent's onto the charge) and its payment is recorded under the payment intent id: no API call.
 * Any other charge paid an invoice, recorded under the invoice id, which the charge does not name in
 * this API version: it is looked up by payment intent. A charge without a payment intent (a bare
 * charge) matches nothing we recorded; the core audits it as an unmatched refund.
 */
async function refundedMoneyId(charge: ChargePayload, ctx: MapContext): Promise<string> {
  const paymentIntent = charge.payment_intent;
  if (!paymentIntent) return charge.id;
  if (isOneTimePlanId(charge.metadata.planId)) return paymentIntent;
  const invoice = await ctx.findInvoiceOfPaymentIntent(paymentIntent);
  return invoice && !invoice.oneTimeCheckout ? invoice.invoiceId : paymentIntent;
}
