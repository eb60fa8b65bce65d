import { recordAudit } from '../../../audit/recordAudit.js';
import { enqueueForWorkspaceOwners } from '../../../email/outbox.js';
import type { BillingEvent } from '../../events.js';
import { getPlan } from '../../plans.js';
import type { HandlerContext } from '../handlerContext.js';
import { billedPlanOf } from '../pendingPlan.js';
import { applyRefund } from './paymentRefunded.js';

type PaymentSucceeded = Extract<BillingEvent, { type: 'payment.succeeded' }>;

/** Money in: takes effect once per money id, whatever event ids it arrives under. */
export async function paymentSucceeded(ctx: HandlerContext, event: PaymentSucceeded) {
  const { tx, workspace } = ctx;
  const planId = event.planId ?? billedPlanOf(workspace, event.subscriptionId);
  const recorded = await recordSuccessfulPayment(ctx, event, planId);
  if (!recorded) return;

  const plan = planId ? getPlan(planId) : null;
  let creditsBalance: number | null = null;
  if (plan?.effect.kind === 'credits') {
    await tx.creditLedger.create({
      data: { workspaceId: workspace.id, amount: plan.effect.amount, reason: `purchase:${plan.id}`, processor: ctx.processor.id, moneyId: event.money.moneyId },
    });
    ({ credits: creditsBalance } = await tx.workspace.update({
      where: { id: workspace.id },
      data: { credits: { increment: plan.effect.amount } },
      select: { credits: true },
    }));
  } else if (!workspace.datePaid || workspace.datePaid < event.paidAt) {
    await tx.workspace.update({ where: { id: workspace.id }, data: { datePaid: event.paidAt } });
  }

  const { money } = event;
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'payment.succeeded',
    target: money.moneyId,
    metadata: { amount: money.amount, currency: money.currency, planId: plan?.id ?? null, creditsGranted: plan?.effect.kind === 'credits' ? plan.effect.amount : 0 },
  });
  // A refund of this money arrived first (remembered on the row): take it back now, exactly as
  // paymentRefunded would have had it arrived after the payment.
  if (recorded.amountRefunded > 0) {
    const payment = { id: recorded.id, moneyId: money.moneyId, amount: money.amount, amountRefunded: 0, currency: money.currency, planId };
    const { fullyRefunded, creditsRevoked } = await applyRefund(ctx, payment, recorded.amountRefunded, creditsBalance ?? workspace.credits);
    // Chosen: no receipt for money already refunded in full when it is recorded (a superseded notice,
    // like a failure whose recovery arrived first; the refund's own email says what happened). A
    // partial refund leaves a real purchase: its receipt is sent, with the balance after the take-back.
    if (fullyRefunded) return;
    if (creditsBalance !== null) creditsBalance -= creditsRevoked;
  }
  // A $0 invoice (a trial's first) is recorded but is no receipt worth an email.
  if (money.amount === 0) return;
  if (plan?.effect.kind === 'credits' && creditsBalance !== null) {
    await enqueueForWorkspaceOwners(tx, workspace.id, 'credits_purchased', {
      workspaceName: workspace.name,
      credits: plan.effect.amount,
      balance: creditsBalance,
      amount: money.amount,
      currency: money.currency,
    });
  } else {
    await enqueueForWorkspaceOwners(tx, workspace.id, 'payment_succeeded', {
      workspaceName: workspace.name,
      planName: plan?.name ?? null,
      amount: money.amount,
      currency: money.currency,
      paidAt: event.paidAt.toISOString(),
    });
  }
}

/**
 * Inserts the payment, or takes over an earlier failed attempt of the same invoice or a refund that
 * arrived before it (`refund_before_payment`); the row's amountRefunded (a refund remembered before the
 * payment) is returned for the caller to apply. Returns null when this money already took effect (the
 * same invoice under another event id, or a replay).
 */
async function recordSuccessfulPayment(ctx: HandlerContext, event: PaymentSucceeded, planId: string | null): Promise<{ id: string; amountRefunded: number } | null> {
  const { moneyId, amount, currency } = event.money;
  const rows = await ctx.tx.$queryRaw<{ id: string; amountRefunded: number }[]>`
    INSERT INTO "Payment" (id, "workspaceId", processor, "moneyId", status, amount, currency, "planId", "occurredAt")
    VALUES (gen_random_uuid()::text, ${ctx.workspace.id}, ${ctx.processor.id}, ${moneyId}, 'succeeded', ${amount}, ${currency}, ${planId}, ${event.paidAt})
    ON CONFLICT (processor, "moneyId") DO UPDATE
      SET status = 'succeeded', amount = EXCLUDED.amount, currency = EXCLUDED.currency, "planId" = EXCLUDED."planId", "occurredAt" = EXCLUDED."occurredAt"
      WHERE "Payment".status IN ('failed', 'refund_before_payment')
    RETURNING id, "amountRefunded"`;
  return rows[0] ?? null;
}
