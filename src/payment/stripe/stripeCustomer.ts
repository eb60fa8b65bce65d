import type Stripe from 'stripe';
import { callStripe } from './stripeErrors.js';

/**
 * One customer per workspace, carrying its id in metadata so every later event finds the workspace
 * without matching emails. The idempotency key makes a retried or concurrent call return the same
 * customer (Stripe keeps keys for 24 hours).
 */
export async function createStripeCustomer(stripe: Stripe, args: { workspace: { id: string; name: string }; email: string }): Promise<string> {
  const { workspace, email } = args;
  const customer = await callStripe('Could not create the Stripe customer', () =>
    stripe.customers.create({ email, name: workspace.name, metadata: { workspaceId: workspace.id } }, { idempotencyKey: `customer-${workspace.id}` }),
  );
  return customer.id;
}
