import { recordAudit } from '../../../audit/recordAudit.js';
import type { BillingEvent } from '../../events.js';
import { getPlan } from '../../plans.js';
import type { HandlerContext } from '../handlerContext.js';

/**
 * Money back out. The event carries the cumulative refunded amount, so a repeat or an older refund
 * event changes nothing. A refund of a credit pack takes its credits back in proportion to the money:
 * after a cumulative refund R of a payment A that granted G credits, floor(G * R / A) are due back in
 * all (G on a full refund). Each refund step takes the difference from the previous step, in one ledger
 * row keyed by the money id and the cumulative amount (`refund:<moneyId>:<R>`), so a step applies once.
 * Never below zero: credits already spent stay spent. The shortfall is in the step's audit event
 * (`creditsAlreadySpent`) and is not chased later, so credits the workspace buys afterwards are its own.
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
  const granted = plan?.effect.kind === 'credits' ? plan.effect.amount : 0;
  const due = creditsDueBack(granted, payment.amount, event.amountRefunded) - creditsDueBack(granted, payment.amount, payment.amountRefunded);
  const revoked = Math.min(due, workspace.credits);
  if (revoked > 0) {
    await tx.creditLedger.create({
      data: {
        workspaceId: workspace.id,
        amount: -revoked,
        reason: `refund:${plan!.id}`,
        processor: ctx.processor.id,
        moneyId: `refund:${event.moneyId}:${event.amountRefunded}`,
      },
    });
    await tx.workspace.update({ where: { id: workspace.id }, data: { credits: { decrement: revoked } } });
  }
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'payment.refunded',
    target: event.moneyId,
    metadata: { amountRefunded: event.amountRefunded, currency: event.currency, fullyRefunded, creditsRevoked: revoked, creditsAlreadySpent: due - revoked },
  });
}

/** Credits due back in all after `refunded` of `paid` was refunded: in proportion, rounded down, at most all. */
function creditsDueBack(granted: number, paid: number, refunded: number): number {
  if (granted === 0 || paid <= 0) return 0;
  return Math.floor((granted * Math.min(refunded, paid)) / paid);
}
