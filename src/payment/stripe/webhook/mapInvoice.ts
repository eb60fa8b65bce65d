import type { WorkspaceRef } from '../../events.js';
import { fromUnixSeconds } from '../stripeSubscription.js';
import type { MapContext } from './mapContext.js';
import { notOurs, type Mapping, type NotOurs } from './mapping.js';
import { isOneTimeCheckoutInvoice } from './moneyIds.js';
import { invoiceSchema, parsePayload, type InvoicePayload } from './payloadSchemas.js';
import { invoiceNotOurs } from './relevance.js';
import { workspaceRef } from './workspaceRef.js';

interface ReadInvoice {
  invoice: InvoicePayload;
  ref: WorkspaceRef;
  planId: string | null;
}

/**
 * Reads an invoice of ours (our workspace in its metadata, or one of our prices on a line), or null for
 * the post-payment invoice of a one-time checkout: that money is recorded by checkout.session.completed
 * under its payment intent id (see moneyIds.ts), so mapping the invoice too would grant a credit pack twice.
 */
function readInvoice(object: unknown, ctx: MapContext): ReadInvoice | NotOurs | null {
  const foreign = invoiceNotOurs(object, ctx.planIds);
  if (foreign) return notOurs(foreign);
  const invoice = parsePayload(invoiceSchema, object, ctx.eventType, 'data.object');
  const subscriptionDetails = invoice.parent?.subscription_details ?? null;
  const linePrices = invoice.lines.data.flatMap((line) => line.pricing?.price_details?.price ?? []);
  const firstPriceId = linePrices[0];
  const oneTime = isOneTimeCheckoutInvoice(
    { hasSubscriptionParent: subscriptionDetails !== null, metadataPlanId: invoice.metadata.planId, firstPriceId },
    ctx.planIds,
  );
  if (oneTime) return null;
  const workspaceId = subscriptionDetails?.metadata.workspaceId ?? invoice.metadata.workspaceId;
  return {
    invoice,
    ref: workspaceRef(workspaceId, invoice.customer, ctx.eventType),
    // The first line on one of our plans; none (our workspace's one-off invoice) is still money, without a plan.
    planId: linePrices.map((price) => ctx.planIds.findPlan(price)).find((plan) => plan !== undefined)?.id ?? null,
  };
}

/** invoice.paid: the money of a subscription invoice (first, renewal, proration), under the invoice id. */
export function mapInvoicePaid(object: unknown, ctx: MapContext): Mapping {
  const read = readInvoice(object, ctx);
  if (!read) return [];
  if ('notOurs' in read) return read;
  const { invoice, ref, planId } = read;
  const paidAt = invoice.status_transitions.paid_at;
  return [
    {
      type: 'payment.succeeded',
      ref,
      money: { moneyId: invoice.id, amount: invoice.amount_paid, currency: invoice.currency },
      planId,
      paidAt: paidAt === null ? ctx.occurredAt : fromUnixSeconds(paidAt),
    },
  ];
}

/**
 * invoice.payment_succeeded is the same fact as invoice.paid (which also covers invoices paid out of
 * band): one of ours is acknowledged and recorded without events, so one event type is the path for the money.
 */
export function mapInvoicePaymentSucceeded(object: unknown, ctx: MapContext): Mapping {
  const foreign = invoiceNotOurs(object, ctx.planIds);
  return foreign ? notOurs(foreign) : [];
}

/** invoice.payment_failed: one attempt at an invoice failed; Stripe retries it (the status comes with customer.subscription.updated). */
export function mapInvoicePaymentFailed(object: unknown, ctx: MapContext): Mapping {
  const read = readInvoice(object, ctx);
  if (!read) return [];
  if ('notOurs' in read) return read;
  const { invoice, ref, planId } = read;
  return [
    {
      type: 'payment.failed',
      ref,
      money: { moneyId: invoice.id, amount: invoice.amount_due, currency: invoice.currency },
      planId,
      failedAt: ctx.occurredAt,
      reason: failureReason(invoice),
    },
  ];
}

/** Stripe's own words for the failure when the payload has them: finalization, or the (expanded) payment attempt. */
function failureReason(invoice: InvoicePayload): string | null {
  if (invoice.last_finalization_error?.message) return invoice.last_finalization_error.message;
  for (const attempt of invoice.payments?.data ?? []) {
    const intent = attempt.payment.payment_intent;
    if (typeof intent === 'object' && intent.last_payment_error?.message) return intent.last_payment_error.message;
  }
  return null;
}
