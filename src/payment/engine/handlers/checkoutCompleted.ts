import { recordAudit } from '../../../audit/recordAudit.js';
import type { BillingEvent } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';
import { recordCustomer } from '../intents.js';
import { customerAt } from '../../workspaceBilling.js';

/**
 * Links the customer who paid to a workspace that has none at this processor yet. An event never
 * replaces a workspace's customer (issue 12): with Stripe it is the workspace's own customer already;
 * with Lemon Squeezy (one customer per email) a second email's checkout keeps the first customer, whose
 * portal lists the workspace's subscriptions of that email. resolveWorkspace refuses another workspace's
 * customer before this runs. Money arrives as payment events.
 */
export async function checkoutCompleted(ctx: HandlerContext, event: Extract<BillingEvent, { type: 'checkout.completed' }>) {
  const { tx, workspace } = ctx;
  const previousCustomerId = await customerAt(tx, workspace.id, ctx.processor.id);
  if (previousCustomerId === null) await recordCustomer(tx, workspace.id, ctx.processor.id, event.customerId);
  await recordAudit(tx, {
    workspaceId: workspace.id,
    actor: ctx.actor,
    action: 'checkout.completed',
    target: event.sessionId,
    metadata: { planId: event.planId, customerId: event.customerId, previousCustomerId },
  });
}
