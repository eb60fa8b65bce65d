import type Stripe from 'stripe';
import { ProcessorError, type ProcessorDriver } from '../paymentProcessor.js';
import { callStripe } from './stripeErrors.js';

/**
 * Refunds through Stripe, by the money id the payment was recorded under (webhook/moneyIds.ts): an
 * invoice (`in_...`, subscriptions) is refunded through its payment intent; a payment intent (`pi_...`,
 * one-time checkouts) directly. Without an amount Stripe refunds all that is left. The effect comes back
 * as `charge.refunded` (cumulative amount_refunded) through the engine.
 */
export function stripeRefunds(stripe: Stripe): Required<Pick<ProcessorDriver, 'refundPayment'>> {
  return {
    async refundPayment(moneyId, amount, options = {}) {
      const what = `Could not refund ${moneyId}`;
      const paymentIntent = await paymentIntentOf(stripe, moneyId, what);
      const refund = await callStripe(what, () =>
        stripe.refunds.create(
          { payment_intent: paymentIntent, ...(amount !== undefined && { amount }) },
          options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : undefined,
        ),
      );
      return { amount: refund.amount, refundId: refund.id };
    },
  };
}

async function paymentIntentOf(stripe: Stripe, moneyId: string, what: string): Promise<string> {
  if (moneyId.startsWith('pi_')) return moneyId;
  if (!moneyId.startsWith('in_')) throw new ProcessorError('invalid_request', `${what}: not an invoice or payment intent id`);
  const invoice = await callStripe(what, () => stripe.invoices.retrieve(moneyId, { expand: ['payments'] }));
  // An invoice retried after a failed attempt lists that attempt too: the paid one is the money.
  const payments = invoice.payments?.data ?? [];
  const paymentIntent = (payments.find((p) => p.status === 'paid') ?? payments[0])?.payment.payment_intent;
  if (!paymentIntent) throw new ProcessorError('invalid_request', `${what}: the invoice has no payment to refund`);
  return typeof paymentIntent === 'string' ? paymentIntent : paymentIntent.id;
}
