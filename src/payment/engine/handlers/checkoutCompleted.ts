import { recordAudit } from '../../../audit/recordAudit.js';
import type { BillingEvent } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';

/** Links the processor's customer to the workspace if checkout created it; money arrives as payment events. */
export async function checkoutCompleted(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'checkout.completed' }>) {
  const { tx, workspace } = ctx;
  if (!workspace.processorCustomerId) {
    await tx.workspace.update({
      where: { id: workspace.id },
      data: { paymentProcessor: ctx.processor.id, processorCustomerId: event.customerId },
    });
  }
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'checkout.completed',
    target: event.sessionId,
    metadata: { planId: event.planId, customerId: event.customerId },
  });
}
