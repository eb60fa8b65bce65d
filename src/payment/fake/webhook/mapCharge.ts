import type { z } from 'zod';
import type { BillingEvent } from '../../events.js';
import { moneyIdOfCharge } from './identity.js';
import { workspaceRefOf, type MapContext } from './mapContext.js';
import type { chargeSchema } from './payloadSchemas.js';

type Charge = z.output<typeof chargeSchema>;

const moneyOf = (charge: Charge) => ({ moneyId: moneyIdOfCharge(charge), amount: charge.amount, currency: charge.currency });
// A renewal names its subscription, so the core can tell which subscription's payment it is.
const planOf = (charge: Charge, ctx: MapContext) => ({
  planId: ctx.planIds.findPlan(charge.price)?.id ?? null,
  ...(charge.subscription !== null && { subscriptionId: charge.subscription }),
});

export function mapChargePaid(charge: Charge, ctx: MapContext): BillingEvent[] {
  return [{ type: 'payment.succeeded', ref: workspaceRefOf(charge), money: moneyOf(charge), ...planOf(charge, ctx), paidAt: new Date(charge.attempted_at) }];
}

export function mapChargeFailed(charge: Charge, ctx: MapContext): BillingEvent[] {
  return [{ type: 'payment.failed', ref: workspaceRefOf(charge), money: moneyOf(charge), ...planOf(charge, ctx), failedAt: new Date(charge.attempted_at), reason: charge.failure_reason }];
}

/** `amount_refunded` is cumulative, as the core wants it: a repeated or reordered refund is harmless. */
export function mapChargeRefunded(charge: Charge, ctx: MapContext): BillingEvent[] {
  return [
    {
      type: 'payment.refunded',
      ref: workspaceRefOf(charge),
      moneyId: moneyIdOfCharge(charge),
      amountRefunded: charge.amount_refunded,
      currency: charge.currency,
      refundedAt: new Date(charge.refunded_at ?? ctx.created.getTime()),
    },
  ];
}
