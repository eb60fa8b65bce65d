import { Router } from 'express';
import type Stripe from 'stripe';
import { idOf } from '../refs.js';
import type { EmulatorContext } from '../context.js';
import { invalidRequest } from '../errors.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { refundCharge } from '../payments.js';
import { formatAmount } from '../money.js';
import { applyMetadata, checkKeys, expandList, optEnum, optInt, optMetadata, optNonEmptyString } from '../params.js';

function chargeToRefund(ctx: EmulatorContext, chargeId: string | undefined, paymentIntentId: string | undefined): Stripe.Charge {
  if (!chargeId && !paymentIntentId) {
    throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.', { code: 'parameter_missing', param: 'payment_intent' });
  }
  if (chargeId) {
    const charge = ctx.store.charge(chargeId, 'charge');
    if (paymentIntentId && charge.payment_intent !== paymentIntentId) {
      throw invalidRequest(`The charge ${chargeId} does not belong to the PaymentIntent ${paymentIntentId}.`, { param: 'charge' });
    }
    if (charge.status !== 'succeeded') throw invalidRequest(`Charge ${chargeId} did not succeed, so it cannot be refunded.`, { code: 'charge_not_refundable', param: 'charge' });
    return charge;
  }
  const paymentIntent = ctx.store.paymentIntent(paymentIntentId!, 'payment_intent');
  const latest = idOf(paymentIntent.latest_charge);
  const charge = latest ? ctx.store.charges.get(latest) : undefined;
  if (paymentIntent.status !== 'succeeded' || !charge) {
    throw invalidRequest(`This PaymentIntent (${paymentIntent.id}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
  }
  return charge;
}

export function refundRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post('/v1/refunds', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['payment_intent', 'charge', 'amount', 'reason', 'metadata', 'expand'],
      ignored: ['instructions_email', 'refund_application_fee', 'reverse_transfer'],
      knownToStripe: ['currency', 'customer', 'origin'],
    });
    const charge = chargeToRefund(ctx, optNonEmptyString(params, 'charge'), optNonEmptyString(params, 'payment_intent'));
    const remaining = charge.amount - charge.amount_refunded;
    if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded', param: 'charge' });
    const amount = optInt(params, 'amount', 'amount', { min: 1 }) ?? remaining;
    if (amount > remaining) {
      throw invalidRequest(
        `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
        { code: 'amount_too_large', param: 'amount' },
      );
    }
    const reason = optEnum(params, 'reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null;
    const refund = refundCharge(ctx, charge, { amount, metadata: applyMetadata({}, optMetadata(params)), reason });
    res.json(expandObject(ctx.store, refund, expandList(params)));
  });

  return router;
}
