import { describe, expect, it } from 'vitest';
import type { Customer, Subscription } from '../db/generated/client.js';
import { billedWorkspace, currentSubscription } from './workspaceBilling.js';

const at = (day: number) => new Date(Date.UTC(2026, 11, day));
let n = 0;
function subscription(status: Subscription['status'], updatedDay: number | null, o: Partial<Subscription> = {}): Subscription {
  n += 1;
  return {
    id: `row_${n}`,
    workspaceId: 'w',
    processor: 'stripe',
    subscriptionId: `sub_${n}`,
    plan: 'pro',
    status,
    quantity: 1,
    currentPeriodEnd: null,
    cancelAtPeriodEnd: false,
    trialEnd: null,
    pendingPlan: null,
    processorUpdatedAt: updatedDay === null ? null : at(updatedDay),
    pastDueSince: null,
    graceExpiredAt: null,
    createdAt: at(1),
    ...o,
  };
}
const customer = (processor: string, customerId: string, day: number): Customer => ({ id: customerId, workspaceId: 'w', processor, customerId, createdAt: at(day) });
const workspace = { id: 'w', name: 'W', createdAt: at(1), datePaid: null, trialUsedAt: null, trialEndingNotifiedAt: null, credits: 0 };

describe('the subscription that gives a workspace its plan', () => {
  it('is a running one before any newer one that stopped', () => {
    const running = subscription('past_due', 2);
    expect(currentSubscription([subscription('canceled', 9), running, subscription('incomplete', 5)])).toBe(running);
  });

  it('is the newest processor state among running ones, and among stopped ones', () => {
    const newer = subscription('active', 4);
    expect(currentSubscription([subscription('trialing', 3), newer, subscription('active', null)])).toBe(newer);
    const lastEnded = subscription('canceled', 8);
    expect(currentSubscription([subscription('canceled', 7), lastEnded])).toBe(lastEnded);
  });

  it('is none without subscriptions', () => {
    expect(currentSubscription([])).toBeNull();
  });
});

describe('a workspace’s billing read from its records', () => {
  it('names the processor of its current subscription and its customer there, even when a newer customer is elsewhere', () => {
    const billed = billedWorkspace({
      ...workspace,
      customers: [customer('lemonsqueezy', '77', 2), customer('stripe', 'cus_1', 5)],
      subscriptions: [subscription('active', 3, { processor: 'lemonsqueezy', subscriptionId: '901', plan: 'hobby', pendingPlan: 'x' })],
    });
    expect(billed).toMatchObject({ paymentProcessor: 'lemonsqueezy', processorCustomerId: '77', subscriptionId: '901', subscriptionPlan: 'hobby', pendingPlan: 'x', subscriptionUpdatedAt: at(3) });
  });

  it('without a subscription, names its newest customer’s processor; without records, nothing', () => {
    const billed = billedWorkspace({ ...workspace, customers: [customer('lemonsqueezy', '77', 2), customer('stripe', 'cus_1', 5)], subscriptions: [] });
    expect(billed).toMatchObject({ paymentProcessor: 'stripe', processorCustomerId: 'cus_1', subscriptionId: null, subscriptionStatus: null, cancelAtPeriodEnd: false });
    expect(billedWorkspace({ ...workspace, customers: [], subscriptions: [] })).toMatchObject({ paymentProcessor: null, processorCustomerId: null, subscriptionPlan: null });
  });
});
