import { recordAudit } from '../../../audit/recordAudit.js';
import type { BillingEvent } from '../../events.js';
import { getPlan } from '../../plans.js';
import type { HandlerContext } from '../handlerContext.js';

/**
 * Money back out. The event carries the cumulative refunded amount, so a repeat or an older refund
 * event changes nothing. A full refund of a credit pack takes its credits back, but never below zero:
 * credits already spent stay spent (the shortfall is in the audit event).
 */
export async function paymentRefunded(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'payment.refunded' }>) {
  const { tx, workspace } = ctx;
  const payment = await tx.payment.findUnique({
    where: { processor_moneyId: { processor: ctx.processor.id, moneyId: event.moneyId } },
  });
  if (!payment) {
    await recordAudit(tx, { workspaceId: workspace.id, actor: ctx.actor, action: 'payment.refund_unmatched', target: event.moneyId, metadata: { amountRefunded: event.amountRefunded } });
    return;
  }
  if (event.amountRefunded <= payment.amountRefunded) return;

  const fullyRefunded = event.amountRefunded >= payment.amount;
  await tx.payment.update({
    where: { id: payment.id },
    data: { amountRefunded: event.amountRefunded, status: fullyRefunded ? 'refunded' : 'partially_refunded' },
  });
  const plan = payment.planId ? getPlan(payment.planId) : null;
  const granted = fullyRefunded && plan?.effect.kind === 'credits' ? plan.effect.amount : 0;
  const revoked = Math.min(granted, workspace.credits);
  if (revoked > 0) {
    await tx.creditLedger.create({
      data: { workspaceId: workspace.id, amount: -revoked, reason: `refund:${plan!.id}`, processor: ctx.processor.id, moneyId: `refund:${event.moneyId}` },
    });
    await tx.workspace.update({ where: { id: workspace.id }, data: { credits: { decrement: revoked } } });
  }
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'payment.refunded',
    target: event.moneyId,
    metadata: { amountRefunded: event.amountRefunded, currency: event.currency, fullyRefunded, creditsRevoked: revoked, creditsAlreadySpent: granted - revoked },
  });
}
