import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { BillingEvent, ParsedDelivery } from '../events.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { WebhookPayloadError, WebhookSignatureError } from '../webhookErrors.js';
import {
  lsDate,
  lsOrder,
  lsSubscription,
  lsSubscriptionInvoice,
  lsTime,
  lsWebhook,
  signLemonSqueezyDelivery,
  TEST_PLAN_ENV,
  TEST_VARIANTS,
  TEST_WEBHOOK_SECRET,
  type LemonSqueezyWebhook,
} from './testing/lemonSqueezyPayloads.js';
import { parseLemonSqueezyWebhook } from './webhook/lemonSqueezyWebhook.js';

const planIds = loadProcessorPlanIds(TEST_PLAN_ENV);

function deliver(body: string, headers: IncomingHttpHeaders): ParsedDelivery {
  return parseLemonSqueezyWebhook(Buffer.from(body), headers, { webhookSecret: TEST_WEBHOOK_SECRET, planIds });
}

/** Signs the webhook as Lemon Squeezy would and parses it. */
function parsed(webhook: unknown): ParsedDelivery {
  const { body, headers } = signLemonSqueezyDelivery(webhook);
  return deliver(body, headers);
}
const eventsOf = (webhook: unknown): BillingEvent[] => parsed(webhook).events;

function failure(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** A webhook with one attribute removed (what a malformed delivery looks like). */
function without<D extends { attributes: object }>(webhook: LemonSqueezyWebhook<D>, attribute: string): unknown {
  const attributes: Record<string, unknown> = { ...webhook.data.attributes };
  delete attributes[attribute];
  return { ...webhook, data: { ...webhook.data, attributes } };
}

const WS = 'ws_0f3a';
const ref = (customerId = '4401') => ({ workspaceId: WS, customerId });

describe('signature verification', () => {
  const webhook = lsWebhook('subscription_payment_success', lsSubscriptionInvoice({ id: '9100', total: 2900 }), { workspaceId: WS });

  it('accepts a delivery signed with the secret: event id, type, parsed payload and events', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook);
    const delivery = deliver(body, headers);
    expect(delivery).toMatchObject({ type: 'subscription_payment_success', payload: JSON.parse(body) });
    expect(delivery.eventId).toMatch(/^subscription_payment_success:subscription-invoices:9100:2026-11-01T10:00:00\.000000Z:[0-9a-f]{16}$/);
    expect(delivery.events).toHaveLength(1);
  });

  it('refuses a tampered body', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook);
    expect(body).toContain('"total":2900');
    const error = failure(() => deliver(body.replace('"total":2900', '"total":1'), headers));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.message).toMatch(/signature does not match the payload/);
  });

  it('refuses the same data re-serialized with different whitespace', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook);
    const pretty = JSON.stringify(JSON.parse(body), null, 2);
    expect(pretty).not.toBe(body);
    expect(failure(() => deliver(pretty, headers))).toBeInstanceOf(WebhookSignatureError);
  });

  it('refuses a delivery signed with another secret, without echoing either secret', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook, { secret: 'someone_elses_secret' });
    const error = failure(() => deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.message).not.toContain(TEST_WEBHOOK_SECRET);
    expect(error.message).not.toContain('someone_elses_secret');
  });

  it('refuses a missing, malformed, truncated or repeated x-signature header', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook);
    const { 'x-signature': signature, ...unsigned } = headers;
    const missing = failure(() => deliver(body, unsigned));
    expect(missing).toBeInstanceOf(WebhookSignatureError);
    expect(missing.message).toBe('Missing x-signature header: not a Lemon Squeezy webhook');
    const malformed = failure(() => deliver(body, { ...unsigned, 'x-signature': 'zz'.repeat(32) }));
    expect(malformed).toMatchObject({ name: 'WebhookSignatureError', message: expect.stringMatching(/Malformed x-signature/) });
    expect(failure(() => deliver(body, { ...unsigned, 'x-signature': signature!.slice(0, 62) }))).toBeInstanceOf(WebhookSignatureError);
    expect(failure(() => deliver(body, { ...unsigned, 'x-signature': [signature!, signature!] }))).toBeInstanceOf(WebhookSignatureError);
    // The same signature in upper case is the same bytes: accepted.
    expect(deliver(body, { ...unsigned, 'x-signature': signature!.toUpperCase() }).events).toHaveLength(1);
  });

  it('refuses a signed body that is not JSON as a payload error', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook, { body: 'not json at all' });
    const error = failure(() => deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.message).toBe('Lemon Squeezy webhook body is not JSON');
  });
});

describe('x-event-name', () => {
  const webhook = lsWebhook('order_created', lsOrder(), { workspaceId: WS, planId: 'credits10' });

  it('must be present', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook, { eventName: null });
    const error = failure(() => deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.message).toMatch(/no x-event-name header/);
  });

  it('must name the event the signed body is', () => {
    const { body, headers } = signLemonSqueezyDelivery(webhook, { eventName: 'order_refunded' });
    const error = failure(() => deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.message).toBe('Lemon Squeezy webhook x-event-name header does not match meta.event_name (order_created)');
  });
});

/** What a signed delivery of ours that cannot be read returns: no events, the problem (stored failed by the core). */
function unreadableOf(webhook: unknown): string {
  const delivery = parsed(webhook);
  expect(delivery.events).toEqual([]);
  expect(delivery.ignoredReason).toBeUndefined();
  if (delivery.unreadable === undefined) throw new Error('expected the delivery to be unreadable');
  return delivery.unreadable;
}

describe('payload validation: ours but unreadable (stored failed, replayable), never a 400', () => {
  it('names a used attribute that a signed payload lacks', () => {
    expect(unreadableOf(without(lsWebhook('order_created', lsOrder(), { workspaceId: WS }), 'total'))).toMatch(/^Lemon Squeezy order_created payload invalid: data\.attributes\.total: /);
  });

  it('names nested attributes; only an envelope without event name or object id is refused', () => {
    const order = lsOrder();
    const nested = { ...lsWebhook('order_created', order, { workspaceId: WS }), data: { ...order, attributes: { ...order.attributes, first_order_item: { ...order.attributes.first_order_item, variant_id: 'five' } } } };
    expect(unreadableOf(nested)).toMatch(/data\.attributes\.first_order_item\.variant_id: must be an integer id/);

    const noName = signLemonSqueezyDelivery({ meta: { test_mode: true }, data: lsOrder() }, { eventName: 'order_created' });
    const envelope = failure(() => deliver(noName.body, noName.headers));
    expect(envelope).toBeInstanceOf(WebhookPayloadError);
    expect(envelope.message).toMatch(/^Lemon Squeezy webhook payload invalid: meta\.event_name: /);
    const noId = signLemonSqueezyDelivery({ meta: { event_name: 'order_created' }, data: { type: 'orders', attributes: {} } });
    expect(failure(() => deliver(noId.body, noId.headers)).message).toMatch(/data\.id: /);
  });

  it('names a malformed time and currency', () => {
    const invoice = lsSubscriptionInvoice({ updatedAt: 'yesterday' });
    expect(unreadableOf(lsWebhook('subscription_payment_failed', invoice, { workspaceId: WS }))).toMatch(/data\.attributes\.updated_at: must be an ISO 8601 date-time/);
    const order = lsOrder();
    const badCurrency = { ...lsWebhook('order_created', order, { workspaceId: WS }), data: { ...order, attributes: { ...order.attributes, currency: 'dollars' } } };
    expect(unreadableOf(badCurrency)).toMatch(/data\.attributes\.currency: must be a three-letter currency code/);
  });

  it('an event about the wrong kind of object', () => {
    expect(unreadableOf(lsWebhook('subscription_payment_success', lsOrder(), { workspaceId: WS }))).toBe(
      'Lemon Squeezy subscription_payment_success payload invalid: data.type: expected "subscription-invoices", got "orders"',
    );
  });

  it("our workspace's subscription on a variant that is not one of our plans (PAYMENTS_*_PLAN_ID changed), or with an unknown status", () => {
    expect(unreadableOf(lsWebhook('subscription_updated', lsSubscription({ variantId: '999' }), { workspaceId: WS }))).toMatch(
      /data\.attributes\.variant_id: variant 999 is not one of our plans/,
    );
    const subscription = lsSubscription();
    const dormant = { ...lsWebhook('subscription_updated', subscription, { workspaceId: WS }), data: { ...subscription, attributes: { ...subscription.attributes, status: 'dormant' } } };
    expect(unreadableOf(dormant)).toMatch(/data\.attributes\.status: /);
  });

  it("our workspace's paid order on a variant that is not ours, naming no plan", () => {
    expect(unreadableOf(lsWebhook('order_created', lsOrder({ variantId: '777' }), { custom: { workspace_id: WS } }))).toMatch(
      /first_order_item\.variant_id: variant 777 is not one of our plans \(check PAYMENTS_\*_PLAN_ID\) and custom data names no plan/,
    );
  });

  it('custom data of ours with an unknown plan or a non-string workspace id', () => {
    expect(unreadableOf(lsWebhook('order_created', lsOrder(), { custom: { workspace_id: WS, plan_id: 'gold' } }))).toMatch(/meta\.custom_data\.plan_id: unknown plan "gold"/);
    expect(unreadableOf(lsWebhook('order_created', lsOrder(), { custom: { workspace_id: 42 } }))).toMatch(/meta\.custom_data\.workspace_id: must be a string/);
  });
});

describe('relevance: what is not ours is ignored with the reason, whatever its shape', () => {
  const ignoredOf = (webhook: unknown): string => {
    const delivery = parsed(webhook);
    expect(delivery.events).toEqual([]);
    expect(delivery.unreadable).toBeUndefined();
    return delivery.ignoredReason ?? 'not ignored';
  };

  it.each(['subscription_created', 'subscription_updated', 'subscription_cancelled', 'subscription_expired'])(
    '%s of another product, with an unknown customer or with ours',
    (eventName) => {
      for (const customerId of ['9999', '4401']) {
        expect(ignoredOf(lsWebhook(eventName, lsSubscription({ variantId: '999', customerId, status: 'active' }), { custom: null }))).toBe(
          `Lemon Squeezy ${eventName}: a subscription of variant 999, not one of our plans (PAYMENTS_*_PLAN_ID), from a checkout that is not ours (no meta.custom_data.workspace_id)`,
        );
      }
    },
  );

  it("orders of another product, another app's custom data included; their refunds too", () => {
    expect(ignoredOf(lsWebhook('order_created', lsOrder({ variantId: '777' }), { custom: null }))).toMatch(/^Lemon Squeezy order_created: an order of variant 777, not one of our plans/);
    expect(ignoredOf(lsWebhook('order_created', lsOrder({ variantId: '777' }), { custom: { user_id: '12', campaign: 'spring' } }))).toMatch(/variant 777/);
    expect(ignoredOf(lsWebhook('order_refunded', lsOrder({ variantId: '777', status: 'refunded', refundedAmount: 990 }), { custom: null }))).toMatch(/^Lemon Squeezy order_refunded: /);
  });

  it('does not parse what is not ours: a foreign subscription with fields we would refuse is still just ignored', () => {
    const foreign = lsSubscription({ variantId: '999' });
    const odd = { ...lsWebhook('subscription_updated', foreign, { custom: null }), data: { ...foreign, attributes: { ...foreign.attributes, status: 'dormant', updated_at: 'soon' } } };
    expect(ignoredOf(odd)).toMatch(/variant 999/);
  });

  it('maps our variant without custom data (a checkout link), and a subscription invoice always (the core decides by its subscription)', () => {
    expect(eventsOf(lsWebhook('subscription_created', lsSubscription({ variantId: TEST_VARIANTS.pro }), { custom: null }))).toMatchObject([{ type: 'subscription.changed' }]);
    expect(eventsOf(lsWebhook('subscription_payment_success', lsSubscriptionInvoice({ subscriptionId: '123456' }), { custom: null }))).toMatchObject([
      { type: 'payment.succeeded', subscriptionId: '123456', planId: null },
    ]);
  });

  it('custom data numbers arrive as strings: ours are read, others pass unread', () => {
    expect(eventsOf(lsWebhook('order_created', lsOrder(), { custom: { workspace_id: WS, plan_id: 'credits10', seats: '3' } }))[0]).toMatchObject({ ref: ref(), planId: 'credits10' });
  });
});

describe('dedupe keys (Lemon Squeezy sends no event id)', () => {
  it('gives the same bytes the same key', () => {
    const { body, headers } = signLemonSqueezyDelivery(lsWebhook('order_created', lsOrder({ id: '7700' }), { workspaceId: WS, planId: 'credits10' }));
    expect(deliver(body, headers).eventId).toBe(deliver(body, headers).eventId);
  });

  it('tells order_created and order_refunded of one order apart, and two refunds of it', () => {
    const created = parsed(lsWebhook('order_created', lsOrder({ id: '7701', updatedAt: lsTime(0) }), { workspaceId: WS, planId: 'credits10' }));
    const refunded = parsed(lsWebhook('order_refunded', lsOrder({ id: '7701', status: 'refunded', refundedAmount: 990, updatedAt: lsTime(0) }), { workspaceId: WS, planId: 'credits10' }));
    const refundedAgain = parsed(lsWebhook('order_refunded', lsOrder({ id: '7701', status: 'refunded', refundedAmount: 990, updatedAt: lsTime(60) }), { workspaceId: WS }));
    expect(new Set([created.eventId, refunded.eventId, refundedAgain.eventId]).size).toBe(3);
    expect(created.eventId.startsWith('order_created:orders:7701:')).toBe(true);
    expect(refunded.eventId.startsWith('order_refunded:orders:7701:')).toBe(true);
  });

  it('records success and recovered of one invoice as two deliveries of the same money', () => {
    const invoice = lsSubscriptionInvoice({ id: '9200' });
    const success = parsed(lsWebhook('subscription_payment_success', invoice, { workspaceId: WS }));
    const recovered = parsed(lsWebhook('subscription_payment_recovered', invoice, { workspaceId: WS }));
    expect(success.eventId).not.toBe(recovered.eventId);
    expect(success.events).toEqual(recovered.events);
    expect(success.events).toMatchObject([{ type: 'payment.succeeded', money: { moneyId: 'invoice:9200' } }]);
  });

  it('keeps two different states with the same updated_at apart (the core decides their order)', () => {
    const at = lsTime(5);
    const active = parsed(lsWebhook('subscription_updated', lsSubscription({ id: '6600', status: 'active', updatedAt: at }), { workspaceId: WS }));
    const pastDue = parsed(lsWebhook('subscription_updated', lsSubscription({ id: '6600', status: 'past_due', updatedAt: at }), { workspaceId: WS }));
    expect(active.eventId).not.toBe(pastDue.eventId);
    expect(active.eventId.split(':').slice(0, 4)).toEqual(pastDue.eventId.split(':').slice(0, 4));
  });
});

describe('order_created', () => {
  it('maps a paid credit pack to checkout.completed plus the payment, under the order id', () => {
    const order = lsOrder({ id: '8001', customerId: '4401', variantId: TEST_VARIANTS.credits10, total: 990, currency: 'EUR', createdAt: lsTime(3) });
    expect(eventsOf(lsWebhook('order_created', order, { workspaceId: WS, planId: 'credits10' }))).toEqual([
      { type: 'checkout.completed', ref: ref(), customerId: '4401', sessionId: '8001', planId: 'credits10' },
      { type: 'payment.succeeded', ref: ref(), money: { moneyId: 'order:8001', amount: 990, currency: 'eur' }, planId: 'credits10', paidAt: lsDate(3) },
    ]);
  });

  it("maps a subscription's order to checkout.completed only (its money is the initial invoice)", () => {
    const order = lsOrder({ id: '8002', variantId: TEST_VARIANTS.pro, total: 2900 });
    expect(eventsOf(lsWebhook('order_created', order, { workspaceId: WS, planId: 'pro' }))).toEqual([
      { type: 'checkout.completed', ref: ref(), customerId: '4401', sessionId: '8002', planId: 'pro' },
    ]);
  });

  it('takes the plan from the variant that was paid for, else from our custom data', () => {
    const byVariant = eventsOf(lsWebhook('order_created', lsOrder({ variantId: TEST_VARIANTS.hobby }), { workspaceId: WS, planId: 'pro' }));
    expect(byVariant).toMatchObject([{ type: 'checkout.completed', planId: 'hobby' }]);
    const byCustom = eventsOf(lsWebhook('order_created', lsOrder({ variantId: '777' }), { workspaceId: WS, planId: 'credits10' }));
    expect(byCustom.map((e) => e.type)).toEqual(['checkout.completed', 'payment.succeeded']);
    expect(byCustom[1]).toMatchObject({ planId: 'credits10' });
  });

  it('reads custom data spelled in camelCase too (a checkout link rather than the SDK)', () => {
    expect(eventsOf(lsWebhook('order_created', lsOrder(), { custom: { workspaceId: WS, planId: 'credits10' } }))[0]).toMatchObject({ ref: ref(), planId: 'credits10' });
  });

  it('acknowledges an unpaid order of ours without events', () => {
    for (const status of ['pending', 'failed'] as const) {
      const delivery = parsed(lsWebhook('order_created', lsOrder({ status }), { workspaceId: WS, planId: 'credits10' }));
      expect(delivery).toMatchObject({ events: [] });
      expect(delivery.ignoredReason ?? delivery.unreadable).toBeUndefined();
    }
  });

  it('falls back to the customer when the order carries no workspace id', () => {
    expect(eventsOf(lsWebhook('order_created', lsOrder({ customerId: '5123' }), { custom: null }))[0]).toMatchObject({ ref: { customerId: '5123' } });
  });
});

describe('order_refunded', () => {
  it('maps to payment.refunded with the cumulative refunded amount, under the order id', () => {
    const order = lsOrder({ id: '8003', status: 'refunded', total: 990, refundedAmount: 990, refundedAt: lsTime(100), updatedAt: lsTime(101) });
    expect(eventsOf(lsWebhook('order_refunded', order, { workspaceId: WS, planId: 'credits10' }))).toEqual([
      { type: 'payment.refunded', ref: ref(), moneyId: 'order:8003', amountRefunded: 990, currency: 'usd', refundedAt: lsDate(100) },
    ]);
    const partial = lsOrder({ id: '8003', total: 990, refundedAmount: 400, updatedAt: lsTime(50) });
    expect(eventsOf(lsWebhook('order_refunded', partial, { workspaceId: WS }))).toMatchObject([{ amountRefunded: 400, refundedAt: lsDate(50) }]);
  });
});

describe('subscription_* → subscription.changed', () => {
  const events = ['subscription_created', 'subscription_updated', 'subscription_cancelled', 'subscription_resumed', 'subscription_paused', 'subscription_unpaused', 'subscription_plan_changed'];

  it.each(events)('%s carries the whole state, stamped with updated_at', (eventName) => {
    const subscription = lsSubscription({ id: '6001', customerId: '4401', variantId: TEST_VARIANTS.hobby, status: 'active', renewsAt: lsTime(86_400), updatedAt: lsTime(42) });
    expect(eventsOf(lsWebhook(eventName, subscription, { workspaceId: WS, planId: 'hobby' }))).toEqual([
      {
        type: 'subscription.changed',
        ref: ref(),
        subscription: { subscriptionId: '6001', planId: 'hobby', status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: lsDate(86_400), trialEnd: null, quantity: 1, occurredAt: lsDate(42) },
      },
    ]);
  });

  const statusCases = [
    { status: 'on_trial', o: { trialEndsAt: lsTime(7 * 86_400) }, expected: { status: 'trialing', cancelAtPeriodEnd: false, trialEnd: lsDate(7 * 86_400), currentPeriodEnd: lsDate(30 * 86_400) } },
    { status: 'active', o: {}, expected: { status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: lsDate(30 * 86_400) } },
    { status: 'paused', o: {}, expected: { status: 'paused', cancelAtPeriodEnd: false } },
    { status: 'past_due', o: { renewsAt: lsTime(3 * 86_400) }, expected: { status: 'past_due', cancelAtPeriodEnd: false, currentPeriodEnd: lsDate(3 * 86_400) } },
    { status: 'unpaid', o: {}, expected: { status: 'unpaid', cancelAtPeriodEnd: false } },
    // A grace period until ends_at: still running, not renewing.
    { status: 'cancelled', o: { endsAt: lsTime(20 * 86_400) }, expected: { status: 'active', cancelAtPeriodEnd: true, currentPeriodEnd: lsDate(20 * 86_400) } },
    // Its grace period over at the time of this state: ended.
    { status: 'cancelled', o: { endsAt: lsTime(-1) }, expected: { status: 'canceled', cancelAtPeriodEnd: false, currentPeriodEnd: lsDate(-1) } },
    { status: 'expired', o: { endsAt: lsTime(-60) }, expected: { status: 'canceled', cancelAtPeriodEnd: false, currentPeriodEnd: lsDate(-60) } },
  ] as const;

  it.each(statusCases)('maps status $status (ends_at $o.endsAt) to $expected.status', ({ status, o, expected }) => {
    const [event] = eventsOf(lsWebhook('subscription_updated', lsSubscription({ status, ...o, updatedAt: lsTime(0) }), { workspaceId: WS }));
    expect(event).toMatchObject({ type: 'subscription.changed', subscription: expected });
  });

  it('cannot read a cancelled subscription without ends_at', () => {
    expect(unreadableOf(lsWebhook('subscription_cancelled', lsSubscription({ status: 'cancelled', endsAt: null }), { workspaceId: WS }))).toMatch(/data\.attributes\.ends_at: /);
  });
});

describe('subscription_expired → subscription.ended', () => {
  it("ends the subscription at ends_at, stamped with updated_at, with its variant's plan", () => {
    const subscription = lsSubscription({ id: '6002', variantId: TEST_VARIANTS.hobby, status: 'expired', endsAt: lsTime(500), updatedAt: lsTime(501) });
    expect(eventsOf(lsWebhook('subscription_expired', subscription, { workspaceId: WS }))).toEqual([
      { type: 'subscription.ended', ref: ref(), subscriptionId: '6002', planId: 'hobby', currentPeriodEnd: lsDate(500), endedAt: lsDate(500), occurredAt: lsDate(501) },
    ]);
    const noEnd = lsSubscription({ id: '6003', status: 'expired', endsAt: null, renewsAt: lsTime(7), updatedAt: lsTime(9) });
    expect(eventsOf(lsWebhook('subscription_expired', noEnd, { workspaceId: WS }))).toMatchObject([
      { planId: 'pro', currentPeriodEnd: lsDate(7), endedAt: lsDate(9), occurredAt: lsDate(9) },
    ]);
  });

  it('still ends a subscription whose variant is not one of our plans (plan unknown: null)', () => {
    const subscription = lsSubscription({ id: '6004', variantId: '999', status: 'expired', endsAt: lsTime(5), updatedAt: lsTime(6) });
    expect(eventsOf(lsWebhook('subscription_expired', subscription, { workspaceId: WS }))).toMatchObject([{ type: 'subscription.ended', subscriptionId: '6004', planId: null }]);
  });
});

describe('subscription_payment_*', () => {
  const invoice = lsSubscriptionInvoice({ id: '9300', subscriptionId: '6300', customerId: '4401', total: 2900, currency: 'GBP', billingReason: 'renewal', updatedAt: lsTime(77) });

  it.each(['subscription_payment_success', 'subscription_payment_recovered'])('%s is the invoice paid, under invoice:<id>, naming its subscription for the plan', (eventName) => {
    expect(eventsOf(lsWebhook(eventName, invoice, { workspaceId: WS, planId: 'pro' }))).toEqual([
      { type: 'payment.succeeded', ref: ref(), money: { moneyId: 'invoice:9300', amount: 2900, currency: 'gbp' }, planId: null, subscriptionId: '6300', paidAt: lsDate(77) },
    ]);
  });

  it('the first invoice (billing_reason initial) carries the plan bought at checkout; later ones leave it to the subscription', () => {
    const initial = lsSubscriptionInvoice({ id: '9301', subscriptionId: '6301', billingReason: 'initial' });
    expect(eventsOf(lsWebhook('subscription_payment_success', initial, { workspaceId: WS, planId: 'hobby' }))).toMatchObject([{ planId: 'hobby', subscriptionId: '6301' }]);
    const renewal = lsSubscriptionInvoice({ id: '9302', subscriptionId: '6301', billingReason: 'renewal' });
    expect(eventsOf(lsWebhook('subscription_payment_success', renewal, { workspaceId: WS, planId: 'hobby' }))).toMatchObject([{ planId: null, subscriptionId: '6301' }]);
  });

  it('subscription_payment_failed is one failed attempt at the invoice', () => {
    const failed = lsSubscriptionInvoice({ id: '9300', subscriptionId: '6300', status: 'pending', billingReason: 'renewal', updatedAt: lsTime(78) });
    expect(eventsOf(lsWebhook('subscription_payment_failed', failed, { workspaceId: WS }))).toEqual([
      { type: 'payment.failed', ref: ref(), money: { moneyId: 'invoice:9300', amount: 2900, currency: 'usd' }, planId: null, subscriptionId: '6300', failedAt: lsDate(78), reason: null },
    ]);
  });

  it('subscription_payment_refunded carries the cumulative refunded amount', () => {
    const refunded = lsSubscriptionInvoice({ id: '9300', status: 'refunded', refundedAmount: 1500, refundedAt: lsTime(90), updatedAt: lsTime(91) });
    expect(eventsOf(lsWebhook('subscription_payment_refunded', refunded, { workspaceId: WS }))).toEqual([
      { type: 'payment.refunded', ref: ref(), moneyId: 'invoice:9300', amountRefunded: 1500, currency: 'usd', refundedAt: lsDate(90) },
    ]);
  });

  it('finds the workspace by customer when the invoice carries no custom data', () => {
    expect(eventsOf(lsWebhook('subscription_payment_success', lsSubscriptionInvoice({ customerId: '5555' }), { custom: null }))).toMatchObject([{ ref: { customerId: '5555' } }]);
    expect(eventsOf(lsWebhook('subscription_payment_success', lsSubscriptionInvoice({ customerId: '5555' }), { custom: null }))[0]!.ref).not.toHaveProperty('workspaceId');
  });
});

describe('other events', () => {
  it('acknowledges and records an event it does not act on', () => {
    const delivery = parsed(lsWebhook('license_key_created', lsOrder({ id: '8100' })));
    expect(delivery).toMatchObject({ type: 'license_key_created', events: [] });
    expect(delivery.eventId.startsWith('license_key_created:orders:8100:')).toBe(true);
  });
});
