import type { MapContext } from './mapContext.js';
import { notOurs, type Mapping } from './mapping.js';
import { isOneTimePlanId } from './moneyIds.js';
import { chargeSchema, parsePayload, type ChargePayload } from './payloadSchemas.js';
import { asRecord, idAt, workspaceIdIn } from './relevance.js';
import { workspaceRef } from './workspaceRef.js';

/**
 * charge.refunded: money back out, with the charge's cumulative refunded amount (so a repeated or
 * reordered refund event is harmless), under the money id its payment was recorded with. A charge is
 * ours by our metadata, its customer (the engine knows or parks it) or the invoice it paid; one with
 * none of these (`stripe trigger charge.refunded`, a guest payment of another app) is not ours.
 */
export async function mapChargeRefunded(object: unknown, ctx: MapContext): Promise<Mapping> {
  const fields = asRecord(object);
  const tie = await moneyOf(fields, ctx);
  const customerId = idAt(fields.customer) ?? tie.customerId;
  if (!workspaceIdIn(fields.metadata) && !customerId) {
    return notOurs(`charge ${idAt(fields.id) ?? '(no id)'} names no customer and no workspace of ours, and paid no invoice of ours`);
  }
  const charge: ChargePayload = parsePayload(chargeSchema, object, ctx.eventType, 'data.object');
  return [
    {
      type: 'payment.refunded',
      ref: workspaceRef(charge.metadata.workspaceId, charge.customer ?? customerId, ctx.eventType),
      moneyId: tie.moneyId ?? charge.id,
      amountRefunded: charge.amount_refunded,
      currency: charge.currency,
      refundedAt: ctx.occurredAt,
    },
  ];
}

/**
 * See moneyIds.ts. A one-time checkout's charge carries our metadata (Stripe copies the payment
 * intent's onto the charge) and its payment is recorded under the payment intent id: no API call.
 * Any other charge paid an invoice, recorded under the invoice id: named by the charge before API
 * 2025-03-31.basil, looked up by payment intent since. A charge without a payment intent (a bare
 * charge) matches nothing we recorded (its own id; the core audits it as an unmatched refund).
 */
async function moneyOf(charge: Record<string, unknown>, ctx: MapContext): Promise<{ moneyId: string | null; customerId: string | undefined }> {
  const paymentIntent = idAt(charge.payment_intent);
  const legacyInvoice = idAt(charge.invoice);
  const planId = asRecord(charge.metadata).planId;
  if (paymentIntent && typeof planId === 'string' && isOneTimePlanId(planId)) return { moneyId: paymentIntent, customerId: undefined };
  if (legacyInvoice) return { moneyId: legacyInvoice, customerId: undefined };
  if (!paymentIntent) return { moneyId: null, customerId: undefined };
  const invoice = await ctx.findInvoiceOfPaymentIntent(paymentIntent);
  return { moneyId: invoice && !invoice.oneTimeCheckout ? invoice.invoiceId : paymentIntent, customerId: invoice?.customerId };
}
