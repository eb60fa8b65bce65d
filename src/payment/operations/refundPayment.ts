import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireSiteAdmin } from '../../workspaces/access.js';
import { formatMoney } from '../money.js';
import { activeProcessor } from '../processors.js';
import { callProcessor } from '../processorErrors.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  paymentId: z.string().min(1),
  /** In the payment's minor unit; all that is left when omitted. */
  amount: z.number().int().positive().optional(),
});

export interface RefundRequested {
  requested: true;
  /** What the processor refunded, in minor units. */
  amount: number;
  currency: string;
}

/**
 * Site admins refund a recorded payment, in full or in part, through its processor. Only the request
 * happens here: the refund's effect (amountRefunded, status, credits taken back in proportion) arrives
 * by webhook through the engine (handlers/paymentRefunded.ts). Refused before the processor: a payment
 * already fully refunded, or an amount beyond what remains (409), as the stored refunds say. A repeat
 * before the webhook lands carries the same idempotency key (the stored refunded total and the amount),
 * so the processor makes one refund; where it takes no key, it refuses more than is left.
 */
export const refundPayment: Operation<unknown, RefundRequested> = async (rawArgs, context) => {
  const { workspaceId, paymentId, amount } = validateArgs(argsSchema, rawArgs);
  const user = requireSiteAdmin(context, 'refund payments');
  const payment = await db().payment.findFirst({ where: { id: paymentId, workspaceId } });
  if (!payment) throw new HttpError(404, `Payment ${paymentId} not found in workspace ${workspaceId}`);
  if (payment.status === 'failed') throw new HttpError(409, 'This payment failed: there is no money to refund');
  const remaining = payment.amount - payment.amountRefunded;
  if (remaining <= 0) throw new HttpError(409, 'This payment is already fully refunded');
  if (amount !== undefined && amount > remaining) {
    throw new HttpError(409, `The amount ${formatMoney(amount, payment.currency)} exceeds what remains to refund (${formatMoney(remaining, payment.currency)})`);
  }
  const processor = activeProcessor(payment.processor);
  if (!processor) throw new HttpError(409, `This payment was made through ${payment.processor}, which this app no longer runs: refund it there`);
  if (!processor.refundPayment) throw new HttpError(501, `The ${processor.id} processor cannot refund from the app: use its dashboard`);
  const refund = processor.refundPayment.bind(processor);
  const idempotencyKey = `refund:${payment.id}:${payment.amountRefunded}:${amount ?? 'rest'}`;
  const result = await callProcessor(processor.id, () => refund(payment.moneyId, amount, { idempotencyKey }));
  await recordAudit(db(), {
    workspaceId,
    actor: { type: 'user', userId: user.id },
    action: 'payment.refund_requested',
    target: payment.moneyId,
    metadata: { paymentId, amount: result.amount, currency: payment.currency, refundId: result.refundId, remainingBefore: remaining, processor: processor.id },
  });
  return { requested: true, amount: result.amount, currency: payment.currency };
};
