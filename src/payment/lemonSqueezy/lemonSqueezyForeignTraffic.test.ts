import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { definePaymentProcessor } from '../webhookHandler.js';
import { createLemonSqueezyDriver } from './lemonSqueezyProcessor.js';
import { documentedOrder, documentedSubscription, documentedSubscriptionInvoice, documentedWebhook, withUnknownFields } from './testing/documentedPayloads.js';
import { startFakeLemonSqueezyApi, type FakeLemonSqueezyApi } from './testing/fakeLemonSqueezyApi.js';
import { nextId, signLemonSqueezyDelivery, TEST_PLAN_ENV, TEST_STORE_ID, TEST_VARIANTS, TEST_WEBHOOK_SECRET } from './testing/lemonSqueezyPayloads.js';

// Lemon Squeezy traffic that is not ours, or not ours yet, as documented payloads signed and POSTed to the
// app's /payments-webhook: another product of our customer, foreign subscriptions, a payment before its
// checkout. Checked in the rows an owner would see: payments, datePaid, audit events, outbox emails.

let api: FakeLemonSqueezyApi;
let t: TestServer;
beforeAll(async () => {
  api = await startFakeLemonSqueezyApi();
  const driver = createLemonSqueezyDriver({ apiKey: 'ls_test_app_key', storeId: TEST_STORE_ID, webhookSecret: TEST_WEBHOOK_SECRET, apiUrl: api.url, planIds: loadProcessorPlanIds(TEST_PLAN_ENV), timeoutMs: 5_000 });
  t = await startTestServer({ processor: definePaymentProcessor(driver) });
});
afterAll(() => api.close());

type Reply = { status: number; body: Record<string, unknown> };
async function send(eventName: string, data: Parameters<typeof documentedWebhook>[1], custom?: Record<string, string>): Promise<Reply> {
  const { body, headers } = signLemonSqueezyDelivery(documentedWebhook(eventName, withUnknownFields(data), custom));
  const res = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const owner = (): Promise<TestUser> => t.signup(`owner-${randomUUID().slice(0, 8)}@example.com`);
const ours = (user: TestUser) => ({ workspace_id: user.workspaceId, plan_id: 'pro' });
/** What the owner sees of the workspace's money. */
async function moneyOf(user: TestUser) {
  return {
    payments: await db().payment.findMany({ where: { workspaceId: user.workspaceId }, select: { moneyId: true, amount: true, planId: true }, orderBy: { occurredAt: 'asc' } }),
    datePaid: (await t.workspace(user.workspaceId)).datePaid,
    audited: await db().auditEvent.count({ where: { workspaceId: user.workspaceId, action: 'payment.succeeded' } }),
    receipts: (await db().emailOutbox.findMany({ where: { recipient: user.email, template: 'payment_succeeded' } })).map((e) => e.data),
  };
}

/** Our checkout of Pro for `user`: order, subscription, its first invoice (the invoice without custom data). */
async function subscribe(user: TestUser, at = '2026-11-01T10:00:00.000000Z') {
  const id = { customer: nextId(), order: nextId(), subscription: nextId(), invoice: nextId() };
  expect((await send('order_created', documentedOrder({ id: id.order, customerId: id.customer, variantId: TEST_VARIANTS.pro, total: 2900, createdAt: at }), ours(user))).status).toBe(200);
  expect((await send('subscription_created', documentedSubscription({ id: id.subscription, customerId: id.customer, variantId: TEST_VARIANTS.pro, renewsAt: '2026-12-01T10:00:00.000000Z', updatedAt: at }), ours(user))).status).toBe(200);
  const invoice = documentedSubscriptionInvoice({ id: id.invoice, subscriptionId: id.subscription, customerId: id.customer, total: 2900, updatedAt: at });
  expect((await send('subscription_payment_success', invoice)).status).toBe(200);
  return id;
}

describe("another product's payment on our customer", () => {
  it('a subscription_payment_success without custom data, our customer, a subscription not ours: parked on that subscription, nothing attached', async () => {
    const user = await owner();
    const id = await subscribe(user);
    const before = await moneyOf(user);
    expect(before).toMatchObject({ payments: [{ moneyId: `invoice:${id.invoice}`, amount: 2900, planId: 'pro' }], audited: 1, receipts: [{ planName: 'Pro' }] });

    const otherSubscription = nextId();
    const foreign = documentedSubscriptionInvoice({ id: nextId(), subscriptionId: otherSubscription, customerId: id.customer, total: 4900, updatedAt: '2026-11-05T10:00:00.000000Z' });
    const reply = await send('subscription_payment_success', foreign);
    expect(reply).toMatchObject({ status: 200, body: { parked: true, waitingFor: `subscription ${otherSubscription}` } });
    expect(await moneyOf(user)).toEqual(before);

    // Its subscription, of the other product, arrives too: ignored with the reason, so the payment stays parked.
    const otherProduct = documentedSubscription({ id: otherSubscription, customerId: id.customer, variantId: '999', updatedAt: '2026-11-05T10:00:00.000000Z' });
    expect(await send('subscription_created', otherProduct)).toMatchObject({ status: 200, body: { ignored: true, reason: expect.stringMatching(/variant 999, not one of our plans/) } });
    expect(await moneyOf(user)).toEqual(before);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { type: 'subscription_payment_success', payload: { path: ['data', 'id'], equals: foreign.id } } })).toMatchObject({ status: 'parked' });
  });
});

describe('a payment before its checkout', () => {
  it('is parked, then applied once after order_created and subscription_created link it: one payment, datePaid, one audit event, one receipt', async () => {
    const user = await owner();
    const id = { customer: nextId(), order: nextId(), subscription: nextId(), invoice: nextId() };
    const paidAt = '2026-11-02T09:00:00.000000Z';
    const invoice = documentedSubscriptionInvoice({ id: id.invoice, subscriptionId: id.subscription, customerId: id.customer, total: 2900, updatedAt: paidAt });
    expect(await send('subscription_payment_success', invoice)).toMatchObject({ status: 200, body: { parked: true, waitingFor: `subscription ${id.subscription}` } });
    expect(await moneyOf(user)).toEqual({ payments: [], datePaid: null, audited: 0, receipts: [] });

    await send('order_created', documentedOrder({ id: id.order, customerId: id.customer, variantId: TEST_VARIANTS.pro, total: 2900, createdAt: paidAt }), ours(user));
    await send('subscription_created', documentedSubscription({ id: id.subscription, customerId: id.customer, variantId: TEST_VARIANTS.pro, renewsAt: '2026-12-02T09:00:00.000000Z', updatedAt: paidAt }), ours(user));
    const after = await moneyOf(user);
    expect(after).toMatchObject({ payments: [{ moneyId: `invoice:${id.invoice}`, amount: 2900, planId: 'pro' }], audited: 1, receipts: [{ planName: 'Pro', amount: 2900 }] });
    expect(after.datePaid).toEqual(new Date(paidAt));
    expect((await t.call('getWorkspaceBilling', { workspaceId: user.workspaceId }, user)).body).toMatchObject({ plan: 'pro', hasActivePlan: true });

    // The same delivery again, and a subscription_updated: nothing more.
    expect((await send('subscription_payment_success', invoice)).status).toBe(200);
    await send('subscription_updated', documentedSubscription({ id: id.subscription, customerId: id.customer, variantId: TEST_VARIANTS.pro, renewsAt: '2026-12-02T09:00:00.000000Z', updatedAt: paidAt }), ours(user));
    expect(await moneyOf(user)).toEqual(after);
  });
});

describe('foreign subscriptions and orders', () => {
  it.each([
    ['an unknown customer', () => nextId()],
    ['our customer', null],
  ] as const)('subscription_created / _updated / order_created of a variant not ours, with %s: 200, recorded ignored with the reason, nothing changed', async (_, customer) => {
    const user = await owner();
    const id = await subscribe(user);
    const before = await moneyOf(user);
    const customerId = customer ? customer() : id.customer;
    const subscriptionId = nextId();
    for (const [eventName, data] of [
      ['order_created', documentedOrder({ id: nextId(), customerId, variantId: '999' })],
      ['subscription_created', documentedSubscription({ id: subscriptionId, customerId, variantId: '999' })],
      ['subscription_updated', documentedSubscription({ id: subscriptionId, customerId, variantId: '999', status: 'cancelled', cancelled: true, endsAt: '2027-01-01T00:00:00.000000Z' })],
    ] as const) {
      const reply = await send(eventName, data);
      expect(reply).toMatchObject({ status: 200, body: { ignored: true, reason: expect.stringContaining('variant 999') } });
      expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: String(reply.body.eventId) } })).toMatchObject({ status: 'ignored', lastError: expect.stringContaining('not one of our plans') });
    }
    expect(await moneyOf(user)).toEqual(before);
    expect((await t.call('getWorkspaceBilling', { workspaceId: user.workspaceId }, user)).body).toMatchObject({ plan: 'pro', subscriptionStatus: 'active' });
  });

  it('an order of ours without refunded_amount (the documented shape) maps; one that cannot be read is stored failed, not lost', async () => {
    const user = await owner();
    const order = documentedOrder({ id: nextId(), customerId: nextId(), variantId: TEST_VARIANTS.credits10, total: 990 });
    expect((await send('order_created', order, { workspace_id: user.workspaceId, plan_id: 'credits10' })).status).toBe(200);
    expect((await t.workspace(user.workspaceId)).credits).toBe(10);

    const unreadable = documentedSubscription({ id: nextId(), customerId: nextId(), variantId: TEST_VARIANTS.pro, status: 'dormant' });
    const reply = await send('subscription_updated', unreadable, ours(user));
    expect(reply.status).toBe(422);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: String(reply.body.eventId) } })).toMatchObject({ status: 'failed', lastError: expect.stringMatching(/data\.attributes\.status/) });
  });
});
