import type Stripe from 'stripe';
import { DECLINE_MESSAGE, type StoredCard } from './cards.js';
import type { EmulatorContext } from './context.js';
import { newCharge, newRefund } from './objects/payment.js';
import { idOf } from './refs.js';

/** One charge attempt on a payment intent: `payment_intent.succeeded` + `charge.succeeded`, or the failures. */
export function attemptCharge(
  ctx: EmulatorContext,
  paymentIntent: Stripe.PaymentIntent,
  card: StoredCard,
  options: { fail: boolean; email: string | null },
): boolean {
  const now = ctx.clock.nowSec();
  const failure = options.fail ? { code: 'card_declined' as const, declineCode: 'generic_decline', message: DECLINE_MESSAGE } : null;
  const charge = newCharge(
    {
      amount: paymentIntent.amount,
      currency: paymentIntent.currency,
      customer: idOf(paymentIntent.customer),
      paymentIntent: paymentIntent.id,
      description: paymentIntent.description,
      metadata: { ...paymentIntent.metadata },
      email: options.email,
      card,
      failure,
    },
    now,
  );
  ctx.store.charges.set(charge.id, charge);
  paymentIntent.latest_charge = charge.id;
  if (failure) {
    paymentIntent.status = 'requires_payment_method';
    paymentIntent.last_payment_error = {
      type: 'card_error',
      code: failure.code,
      decline_code: failure.declineCode,
      message: failure.message,
      charge: charge.id,
      doc_url: 'https://stripe.com/docs/error-codes/card-declined',
      payment_method_type: 'card',
    };
    ctx.events.emit('payment_intent.payment_failed', paymentIntent);
    ctx.events.emit('charge.failed', charge);
    return false;
  }
  paymentIntent.status = 'succeeded';
  paymentIntent.amount_received = paymentIntent.amount;
  paymentIntent.last_payment_error = null;
  ctx.events.emit('payment_intent.succeeded', paymentIntent);
  ctx.events.emit('charge.succeeded', charge);
  return true;
}

/** Refunds `amount` of a charge: the charge's cumulative `amount_refunded`, `charge.refunded`, `refund.created`. */
export function refundCharge(
  ctx: EmulatorContext,
  charge: Stripe.Charge,
  fields: { amount: number; metadata: Stripe.Metadata; reason: Stripe.Refund.Reason | null },
): Stripe.Refund {
  const refund = newRefund({ ...fields, charge }, ctx.clock.nowSec());
  ctx.store.refunds.set(refund.id, refund);
  charge.amount_refunded += fields.amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  ctx.events.emit('charge.refunded', charge);
  ctx.events.emit('refund.created', refund);
  return refund;
}
