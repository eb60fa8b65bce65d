import { db, type Tx } from '../../db/client.js';
import { customerAt } from '../workspaceBilling.js';

/**
 * What operations record before they ask the processor, so that its webhooks find it: the customer made
 * for a checkout, a downgrade that waits for the period end. Written here, beside the handlers, so the
 * billing records have one set of writers; the subscription's state itself only arrives by webhook.
 */

/** Links a customer to the workspace at this processor unless it has one; answers the one it has then. */
export async function recordCustomer(client: Tx, workspaceId: string, processor: string, customerId: string): Promise<string> {
  // A concurrent checkout (or its webhook) may have stored one first: keep whichever landed.
  const { count } = await client.customer.createMany({ data: [{ workspaceId, processor, customerId }], skipDuplicates: true });
  return count === 1 ? customerId : ((await customerAt(client, workspaceId, processor)) ?? customerId);
}

export interface SubscriptionKey {
  workspaceId: string;
  processor: string;
  subscriptionId: string;
}

/** Moves the subscription's pending plan from `from` to `to`; false when another change got there first. */
export async function movePendingPlan(subscription: SubscriptionKey, from: string | null, to: string | null): Promise<boolean> {
  const { count } = await db().subscription.updateMany({ where: { ...subscription, pendingPlan: from }, data: { pendingPlan: to } });
  return count === 1;
}
