import type { ChargeObject, SubscriptionObject } from './webhook/payloadSchemas.js';

/**
 * The fake processor's API, as the driver calls it: what a real processor's SDK client is to its driver.
 * The local emulator (emulator/) implements it in-process; a failed call throws FakeApiError.
 */
export interface FakeApi {
  createCustomer(args: { email: string; metadata: { workspace_ref: string } }): Promise<{ id: string }>;
  createCheckout(args: CheckoutArgs): Promise<{ id: string; url: string }>;
  portalUrl(args: { customer: string; returnUrl: string }): Promise<string>;
  getSubscription(id: string): Promise<SubscriptionObject>;
  /** A new price now, or the cancellation flag. The fake bills a new price from the next renewal, prorated or not (`prorate` is taken and not acted on). */
  updateSubscription(id: string, changes: { price?: string; prorate?: boolean; cancel_at_period_end?: boolean }): Promise<void>;
  /** Ends the subscription now. */
  deleteSubscription(id: string): Promise<void>;
  /** `amount` in minor units, or all that is left; the same `idempotencyKey` is the same refund. */
  refundCharge(id: string, args: { amount?: number; idempotencyKey?: string }): Promise<{ id: string; amount: number }>;
  /** The customer's subscriptions and charges, newest first. */
  listCustomerObjects(customer: string): Promise<{ subscriptions: SubscriptionObject[]; charges: ChargeObject[] }>;
}

export interface CheckoutArgs {
  customer: string;
  price: string;
  /** `payment`: a one-time charge (a credit pack); `subscription`: a subscription on the price. */
  mode: 'payment' | 'subscription';
  trialDays: number | null;
  metadata: { workspace_ref: string };
  successUrl: string;
  cancelUrl: string;
  idempotencyKey: string;
}
