import type { Billing, Payment } from '../backend/types.js';

/** An active Pro workspace's billing state, as the server sends it, with `changes`. */
export const billing = (changes: Partial<Billing>): Billing => ({
  workspaceId: 'w1',
  processor: 'stripe',
  customerId: 'cus_1',
  plan: 'pro',
  subscriptionStatus: 'active',
  quantity: 1,
  hasActivePlan: true,
  cancelAtPeriodEnd: false,
  currentPeriodEnd: '2026-12-23T12:00:00.000Z',
  pendingPlan: null,
  trialEnd: null,
  trialUsed: false,
  graceEndsAt: null,
  credits: 0,
  datePaid: null,
  ...changes,
});

/** A Pro payment made at `occurredAt`. */
export const payment = (status: Payment['status'], occurredAt: string): Payment => ({
  id: occurredAt,
  moneyId: occurredAt,
  status,
  amount: 2900,
  amountRefunded: 0,
  currency: 'usd',
  planId: 'pro',
  planName: 'Pro',
  kind: 'subscription',
  occurredAt,
});
