import type Stripe from 'stripe';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { callStripe } from '../stripeErrors.js';
import { isOneTimeCheckoutInvoice, type PaidInvoice } from './moneyIds.js';

/**
 * The invoice a payment intent paid (API 2025-03-31+: charges and payment intents no longer name
 * their invoice; invoice payments link the two). The invoice is expanded to tell a one-time checkout's
 * invoice (money recorded under the payment intent) from the rest (recorded under the invoice).
 */
export async function findInvoiceOfPaymentIntent(stripe: Stripe, paymentIntentId: string, planIds: ProcessorPlanIds): Promise<PaidInvoice | null> {
  const payments = await callStripe(`Could not look up the invoice paid by ${paymentIntentId}`, () =>
    stripe.invoicePayments.list({ payment: { type: 'payment_intent', payment_intent: paymentIntentId }, limit: 1, expand: ['data.invoice'] }),
  );
  const invoice = payments.data[0]?.invoice;
  if (invoice === undefined) return null;
  if (typeof invoice === 'string') return { invoiceId: invoice, oneTimeCheckout: false };
  if (invoice.deleted) return { invoiceId: invoice.id, oneTimeCheckout: false };
  const price = invoice.lines?.data[0]?.pricing?.price_details?.price;
  const customerId = typeof invoice.customer === 'string' ? invoice.customer : invoice.customer?.id;
  return {
    invoiceId: invoice.id,
    ...(customerId && { customerId }),
    oneTimeCheckout: isOneTimeCheckoutInvoice(
      {
        hasSubscriptionParent: Boolean(invoice.parent?.subscription_details),
        metadataPlanId: invoice.metadata?.planId,
        firstPriceId: typeof price === 'string' ? price : price?.id,
      },
      planIds,
    ),
  };
}
