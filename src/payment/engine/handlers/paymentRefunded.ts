import { recordAudit } from '../../../audit/recordAudit.js';
import type { Payment } from '../../../db/generated/client.js';
import { enqueueForWorkspaceOwners } from '../../../email/outbox.js';
import type { BillingEvent } from '../../events.js';
import { getPlan } from '../../plans.js';
import type { HandlerContext } from '../handlerContext.js';

type PaymentRefunded = Extract<BillingEvent, { type: 'payment.refunded' }>;

/**
 * Money back out. The event carries the cumulative refunded amount, so a repeat or an older refund
 * event changes nothing. Processors deliver in any order: a refund of money not yet recorded as
 * received (no Payment row, or only failed attempts) is remembered on the row and applied when its
 * payment.succeeded arrives (see rememberRefundBeforePayment and applyRefund).
 */
export async function paymentRefunded(ctx: HandlerContext, event: PaymentRefunded) {
  const payment = await ctx.tx.payment.findUnique({
    where: { processor_moneyId: { processor: ctx.processor.id, moneyId: event.moneyId } },
  });
  if (!payment || payment.status === 'failed' || payment.status === 'refund_before_payment') {
    await rememberRefundBeforePayment(ctx, event);
    return;
  }
  if (event.amountRefunded <= payment.amountRefunded) return;
  await applyRefund(ctx, payment, event.amountRefunded, ctx.workspace.credits);
}

/**
 * A credit pack's refund takes its credits back in proportion to the money: after a cumulative refund R
 * of a payment A that granted G credits, floor(G * R / A) are due back in all (G on a full refund). Each
 * refund step takes the difference from the previous step (`payment.amountRefunded`), in one ledger row
 * keyed by the money id and the cumulative amount (`refund:<moneyId>:<R>`), so a step applies once.
 * Never below zero (`creditsBalance` is the workspace's current balance): credits already spent stay
 * spent. The shortfall is in the step's audit event (`creditsAlreadySpent`) and is not chased later, so
 * credits the workspace buys afterwards are its own. Sets the payment refunded / partially_refunded and
 * emails the owners about the step (once: a step that applied never applies again).
 * Used by paymentRefunded, and by paymentSucceeded for a refund that arrived before its payment.
 */
export async function applyRefund(
  ctx: HandlerContext,
  payment: Pick<Payment, 'id' | 'moneyId' | 'amount' | 'amountRefunded' | 'currency' | 'planId'>,
  amountRefunded: number,
  creditsBalance: number,
): Promise<{ fullyRefunded: boolean; creditsRevoked: number }> {
  const { tx, workspace } = ctx;
  const fullyRefunded = amountRefunded >= payment.amount;
  await tx.payment.update({
    where: { id: payment.id },
    data: { amountRefunded, status: fullyRefunded ? 'refunded' : 'partially_refunded' },
  });
  const plan = payment.planId ? getPlan(payment.planId) : null;
  const granted = plan?.effect.kind === 'credits' ? plan.effect.amount : 0;
  const due = creditsDueBack(granted, payment.amount, amountRefunded) - creditsDueBack(granted, payment.amount, payment.amountRefunded);
  const revoked = Math.max(0, Math.min(due, creditsBalance));
  if (revoked > 0) {
    await tx.creditLedger.create({
      data: {
        workspaceId: workspace.id,
        amount: -revoked,
        reason: `refund:${plan!.id}`,
        processor: ctx.processor.id,
        moneyId: `refund:${payment.moneyId}:${amountRefunded}`,
      },
    });
    await tx.workspace.update({ where: { id: workspace.id }, data: { credits: { decrement: revoked } } });
  }
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'payment.refunded',
    target: payment.moneyId,
    metadata: { amountRefunded, currency: payment.currency, fullyRefunded, creditsRevoked: revoked, creditsAlreadySpent: due - revoked },
  });
  await enqueueForWorkspaceOwners(tx, workspace.id, 'refund_issued', {
    workspaceName: workspace.name,
    amount: amountRefunded - payment.amountRefunded,
    currency: payment.currency,
    paymentAmount: payment.amount,
    totalRefunded: amountRefunded,
    creditsRevoked: revoked,
  });
  return { fullyRefunded, creditsRevoked: revoked };
}

/**
 * The refund came first: keep the largest cumulative refund on the money id's row (a new
 * `refund_before_payment` row with amount 0, or a failed attempt's row, whose status stays failed).
 * No credits move now: paymentSucceeded takes the row over, grants, then calls applyRefund.
 */
async function rememberRefundBeforePayment(ctx: HandlerContext, event: PaymentRefunded): Promise<void> {
  const { tx, workspace } = ctx;
  await tx.$executeRaw`
    INSERT INTO "Payment" (id, "workspaceId", processor, "moneyId", status, amount, "amountRefunded", currency, "planId", "occurredAt")
    VALUES (gen_random_uuid()::text, ${workspace.id}, ${ctx.processor.id}, ${event.moneyId}, 'refund_before_payment', 0, ${event.amountRefunded}, ${event.currency}, NULL, ${event.refundedAt})
    ON CONFLICT (processor, "moneyId") DO UPDATE
      SET "amountRefunded" = GREATEST("Payment"."amountRefunded", EXCLUDED."amountRefunded")
      WHERE "Payment".status IN ('failed', 'refund_before_payment')`;
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'payment.refund_before_payment',
    target: event.moneyId,
    metadata: { amountRefunded: event.amountRefunded, currency: event.currency },
  });
}

/** Credits due back in all after `refunded` of `paid` was refunded: in proportion, rounded down, at most all. */
function creditsDueBack(granted: number, paid: number, refunded: number): number {
  if (granted === 0 || paid <= 0) return 0;
  return Math.floor((granted * Math.min(refunded, paid)) / paid);
}
