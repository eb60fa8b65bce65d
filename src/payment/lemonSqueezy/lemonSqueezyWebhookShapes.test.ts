import { describe, expect, it } from 'vitest';
import type { BillingEvent } from '../events.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { documentedOrder, documentedSubscription, documentedSubscriptionInvoice, documentedWebhook, minimalResource, withUnknownFields } from './testing/documentedPayloads.js';
import { signLemonSqueezyDelivery, TEST_PLAN_ENV, TEST_VARIANTS, TEST_WEBHOOK_SECRET } from './testing/lemonSqueezyPayloads.js';
import { mappedLemonSqueezyEvents, parseLemonSqueezyWebhook } from './webhook/lemonSqueezyWebhook.js';

// Every event type the mapper acts on, on Lemon Squeezy's documented object (plus unknown newer fields)
// and on the minimal one (just the fields read): both must map, and to the same events.

const planIds = loadProcessorPlanIds(TEST_PLAN_ENV);
const WS = 'ws_docs';
const ours = { workspace_id: WS, plan_id: 'pro' };

function mapped(eventName: string, data: Parameters<typeof documentedWebhook>[1], custom?: Record<string, string>) {
  const { body, headers } = signLemonSqueezyDelivery(documentedWebhook(eventName, data, custom));
  return parseLemonSqueezyWebhook(Buffer.from(body), headers, { webhookSecret: TEST_WEBHOOK_SECRET, planIds });
}

const subscription = (status: string, extra: Partial<Parameters<typeof documentedSubscription>[0]> = {}) =>
  documentedSubscription({ id: '61', customerId: '41', variantId: TEST_VARIANTS.pro, status, ...extra });
const invoice = (extra: Partial<Parameters<typeof documentedSubscriptionInvoice>[0]> = {}) =>
  documentedSubscriptionInvoice({ id: '91', subscriptionId: '61', customerId: '41', ...extra });

const cases: { eventName: string; data: ReturnType<typeof documentedOrder>; custom?: Record<string, string>; expected: Partial<BillingEvent>[] }[] = [
  {
    eventName: 'order_created',
    data: documentedOrder({ id: '81', customerId: '41', variantId: TEST_VARIANTS.credits10 }),
    custom: { workspace_id: WS, plan_id: 'credits10' },
    expected: [{ type: 'checkout.completed' }, { type: 'payment.succeeded' }],
  },
  {
    eventName: 'order_refunded',
    data: documentedOrder({ id: '81', customerId: '41', variantId: TEST_VARIANTS.credits10, status: 'refunded', refundedAt: '2021-08-12T10:00:00.000000Z' }),
    custom: { workspace_id: WS, plan_id: 'credits10' },
    expected: [{ type: 'payment.refunded' }],
  },
  ...['subscription_created', 'subscription_updated', 'subscription_resumed', 'subscription_unpaused', 'subscription_plan_changed'].map((eventName) => ({
    eventName,
    data: subscription('active'),
    custom: ours,
    expected: [{ type: 'subscription.changed' as const }],
  })),
  { eventName: 'subscription_cancelled', data: subscription('cancelled', { cancelled: true, endsAt: '2030-01-01T00:00:00.000000Z' }), custom: ours, expected: [{ type: 'subscription.changed' }] },
  { eventName: 'subscription_paused', data: subscription('paused'), custom: ours, expected: [{ type: 'subscription.changed' }] },
  { eventName: 'subscription_expired', data: subscription('expired', { cancelled: true, endsAt: '2021-09-11T13:47:28.000000Z' }), custom: ours, expected: [{ type: 'subscription.ended' }] },
  // Invoices often come without custom data (Lemon Squeezy documents it only on orders and subscriptions).
  { eventName: 'subscription_payment_success', data: invoice(), expected: [{ type: 'payment.succeeded' }] },
  { eventName: 'subscription_payment_recovered', data: invoice({ billingReason: 'renewal' }), custom: ours, expected: [{ type: 'payment.succeeded' }] },
  { eventName: 'subscription_payment_failed', data: invoice({ status: 'pending', billingReason: 'renewal' }), expected: [{ type: 'payment.failed' }] },
  { eventName: 'subscription_payment_refunded', data: invoice({ status: 'refunded', refundedAt: '2021-08-12T10:00:00.000000Z' }), expected: [{ type: 'payment.refunded' }] },
];

describe('documented Lemon Squeezy payloads', () => {
  it('cover every event type the mapper acts on', () => {
    expect(new Set(cases.map((c) => c.eventName))).toEqual(new Set(mappedLemonSqueezyEvents));
  });

  it.each(cases)('$eventName maps on the documented shape with unknown fields and on the minimal one, alike', ({ eventName, data, custom, expected }) => {
    const full = mapped(eventName, withUnknownFields(data), custom);
    expect(full.unreadable).toBeUndefined();
    expect(full.ignoredReason).toBeUndefined();
    expect(full.events).toMatchObject(expected);
    const minimal = mapped(eventName, minimalResource(data), custom);
    expect(minimal.events).toEqual(full.events);
  });

  it('reads a documented order and invoice without refunded_amount: a full refund is the total', () => {
    const order = mapped('order_refunded', documentedOrder({ id: '82', customerId: '41', variantId: TEST_VARIANTS.credits10, total: 1199, status: 'refunded' }), ours);
    expect(order.events).toMatchObject([{ type: 'payment.refunded', moneyId: 'order:82', amountRefunded: 1199 }]);
    const partial = mapped('subscription_payment_refunded', invoice({ status: 'partial_refund' }));
    expect(partial.events).toEqual([]);
    expect(partial.unreadable).toMatch(/data\.attributes\.refunded_amount: required for a refund that is not in full \(status partial_refund\)/);
    const withAmount = mapped('subscription_payment_refunded', invoice({ status: 'partial_refund', refundedAmount: 300 }));
    expect(withAmount.events).toMatchObject([{ amountRefunded: 300 }]);
  });

  it('keeps a trial subscription whose first_subscription_item is null', () => {
    const trial = mapped('subscription_created', subscription('on_trial', { trialEndsAt: '2021-08-25T13:47:28.000000Z' }), ours);
    expect(trial.events).toMatchObject([{ type: 'subscription.changed', subscription: { status: 'trialing' } }]);
  });
});
