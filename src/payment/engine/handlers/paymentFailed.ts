import { recordAudit } from '../../../audit/recordAudit.js';
import { enqueueForWorkspaceOwners } from '../../../email/outbox.js';
import type { BillingEvent } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';
import { billedPlanOf } from '../pendingPlan.js';

/**
 * A charge failed. Processors retry the same invoice several times: every attempt is audited, the
 * owners are emailed on the first. Subscription status (past_due) comes with the subscription event.
 * An existing row is never touched: not a succeeded one, nor a refund that arrived before its payment
 * (`refund_before_payment`, which its payment.succeeded takes over; that money was paid, so no email).
 */
export async function paymentFailed(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'payment.failed' }>) {
  const { tx, workspace } = ctx;
  const { moneyId, amount, currency } = event.money;
  const planId = event.planId ?? billedPlanOf(workspace, event.subscriptionId);
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "Payment" (id, "workspaceId", processor, "moneyId", status, amount, currency, "planId", "occurredAt")
    VALUES (gen_random_uuid()::text, ${workspace.id}, ${ctx.processor.id}, ${moneyId}, 'failed', ${amount}, ${currency}, ${planId}, ${event.failedAt})
    ON CONFLICT (processor, "moneyId") DO NOTHING
    RETURNING id`;
  const firstFailure = inserted.length > 0;
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'payment.failed',
    target: moneyId,
    metadata: { amount, currency, planId, reason: event.reason, firstFailure },
  });
  if (!firstFailure) return;
  await enqueueForWorkspaceOwners(tx, workspace.id, 'payment_failed', {
    workspaceName: workspace.name,
    amount,
    currency,
    reason: event.reason,
  });
}
