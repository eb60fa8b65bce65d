import { recordAudit } from '../../../audit/recordAudit.js';
import type { BillingEvent } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';

/**
 * Links the customer who paid to the workspace. With processors that create the customer at checkout
 * (Lemon Squeezy: one per email) the latest checkout's customer is the one whose portal shows the
 * workspace's newest subscription; with Stripe it is the workspace's own customer, unchanged.
 * Money arrives as payment events.
 */
export async function checkoutCompleted(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'checkout.completed' }>) {
  const { tx, workspace } = ctx;
  if (workspace.processorCustomerId !== event.customerId) {
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
    metadata: { planId: event.planId, customerId: event.customerId, previousCustomerId: workspace.processorCustomerId },
  });
}
