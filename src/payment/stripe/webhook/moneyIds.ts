import { checkoutModeOf, getPlan, isPlanId } from '../../plans.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';

/*
 * Money ids: the Stripe id each payment is recorded under (the core applies money once per id), chosen
 * so that every later event about the same money - a redelivery, another event for the same invoice, a
 * refund - carries the same id.
 *
 * - Subscription invoices (and any other invoice): the invoice id, in_... invoice.paid is their one
 *   payment event (invoice.payment_succeeded is acknowledged without events).
 * - One-time checkout payments (credit packs): the payment intent id, pi_... In this API version a
 *   Charge has no `invoice` field, only `payment_intent`, so charge.refunded matches the payment with no
 *   API call, and checkout.session.completed always has the payment intent of a paid session (its
 *   `invoice` is set only with invoice creation). The post-payment invoice checkout creates for them is
 *   skipped in invoice.paid: checkout.session.completed (or async_payment_succeeded) is the one path for
 *   one-time money, so the pack is granted once even though both events arrive.
 * - A refund of a subscription invoice's charge names only the payment intent: the invoice it paid is
 *   looked up (invoice payments by payment intent) and the refund carries the invoice id.
 */

/** One-time checkout money; a free (100% discounted) session has no payment intent, then invoice or session. */
export function oneTimeCheckoutMoneyId(session: { id: string; payment_intent: string | null; invoice: string | null }): string {
  return session.payment_intent ?? session.invoice ?? session.id;
}

/** A plan bought with a one-time payment (checkout mode `payment`), e.g. a credit pack. */
export function isOneTimePlanId(planId: string | undefined): boolean {
  return planId !== undefined && isPlanId(planId) && checkoutModeOf(getPlan(planId)) === 'payment';
}

/**
 * The invoice Stripe creates after a one-time checkout (invoice_creation): not a subscription's, and
 * for a one-time plan (by our metadata, or by its first line's price).
 */
export function isOneTimeCheckoutInvoice(
  invoice: { hasSubscriptionParent: boolean; metadataPlanId: string | undefined; firstPriceId: string | undefined },
  planIds: ProcessorPlanIds,
): boolean {
  if (invoice.hasSubscriptionParent) return false;
  const planOfPrice = invoice.firstPriceId === undefined ? undefined : planIds.findPlan(invoice.firstPriceId);
  return isOneTimePlanId(invoice.metadataPlanId) || isOneTimePlanId(planOfPrice?.id);
}

/** What a payment intent paid, as far as refunds need to know. */
export interface PaidInvoice {
  invoiceId: string;
  /** Its money is recorded under the payment intent id, not the invoice id. */
  oneTimeCheckout: boolean;
  /** The invoice's customer, which ties a refunded charge without one to us. */
  customerId?: string;
}
