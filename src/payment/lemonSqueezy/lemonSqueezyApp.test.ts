import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { definePaymentProcessor } from '../webhookHandler.js';
import { createLemonSqueezyDriver } from './lemonSqueezyProcessor.js';
import { startFakeLemonSqueezyApi, type FakeLemonSqueezyApi } from './testing/fakeLemonSqueezyApi.js';
import {
  lsDate,
  lsOrder,
  lsSubscription,
  lsSubscriptionInvoice,
  lsTime,
  lsWebhook,
  nextId,
  signLemonSqueezyDelivery,
  TEST_PLAN_ENV,
  TEST_STORE_ID,
  TEST_VARIANTS,
  TEST_WEBHOOK_SECRET,
} from './testing/lemonSqueezyPayloads.js';

// The Lemon Squeezy driver inside the real app, over HTTP, on a fresh PostgreSQL database. Webhooks are
// signed as Lemon Squeezy signs them (x-signature, x-event-name); the SDK's calls go to a local fake API.

const DAY = 86_400;

let api: FakeLemonSqueezyApi;
let t: TestServer;
beforeAll(async () => {
  api = await startFakeLemonSqueezyApi();
  const driver = createLemonSqueezyDriver({
    apiKey: 'ls_test_app_key',
    storeId: TEST_STORE_ID,
    webhookSecret: TEST_WEBHOOK_SECRET,
    apiUrl: api.url,
    planIds: loadProcessorPlanIds(TEST_PLAN_ENV),
    timeoutMs: 5_000,
  });
  t = await startTestServer({ processor: definePaymentProcessor(driver) });
});
afterAll(() => api.close());

type Reply = { status: number; body: { message?: string; duplicate?: boolean; ignored?: boolean; eventId?: string } };

async function post(body: string, headers: Record<string, string>): Promise<Reply> {
  const res = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as Reply['body'] };
}

function send(webhook: unknown, o: { secret?: string; eventName?: string | null } = {}): Promise<Reply> {
  const { body, headers } = signLemonSqueezyDelivery(webhook, o);
  return post(body, headers);
}

async function sendAll(...webhooks: unknown[]) {
  for (const webhook of webhooks) {
    const res = await send(webhook);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

const owner = (): Promise<TestUser> => t.signup(`owner-${randomUUID().slice(0, 8)}@example.com`);
const ids = () => ({ customer: nextId(), order: nextId(), subscription: nextId(), invoice: nextId() });
type Ids = ReturnType<typeof ids>;
const outboxFor = async (recipient: string) => db().emailOutbox.findMany({ where: { recipient }, orderBy: { createdAt: 'asc' } });
const templatesFor = async (recipient: string) => (await outboxFor(recipient)).map((e) => e.template);
const billing = async (user: TestUser) => (await t.call('getWorkspaceBilling', { workspaceId: user.workspaceId }, user)).body;
const deliveryCount = () => db().webhookDelivery.count({ where: { processor: 'lemonsqueezy' } });

function subscriptionOrder(user: TestUser, id: Ids, at: number) {
  return lsWebhook('order_created', lsOrder({ id: id.order, customerId: id.customer, variantId: TEST_VARIANTS.pro, total: 2900, createdAt: lsTime(at) }), { workspaceId: user.workspaceId, planId: 'pro' });
}
function subscriptionEvent(eventName: string, user: TestUser, id: Ids, at: number, o: Parameters<typeof lsSubscription>[0] = {}) {
  return lsWebhook(eventName, lsSubscription({ id: id.subscription, customerId: id.customer, variantId: TEST_VARIANTS.pro, renewsAt: lsTime(30 * DAY), updatedAt: lsTime(at), ...o }), {
    workspaceId: user.workspaceId,
    planId: 'pro',
  });
}
function invoiceEvent(eventName: string, user: TestUser, id: Ids, at: number, o: { invoice?: string; billingReason?: 'initial' | 'renewal' } = {}) {
  const invoice = lsSubscriptionInvoice({ id: o.invoice ?? id.invoice, subscriptionId: id.subscription, customerId: id.customer, total: 2900, billingReason: o.billingReason ?? 'initial', updatedAt: lsTime(at) });
  return lsWebhook(eventName, invoice, { workspaceId: user.workspaceId, planId: 'pro' });
}
/** What Lemon Squeezy sends when a subscription is bought: the order, the subscription, its first invoice paid. */
async function subscribe(user: TestUser, id: Ids) {
  await sendAll(subscriptionOrder(user, id, 1), subscriptionEvent('subscription_created', user, id, 1), invoiceEvent('subscription_payment_success', user, id, 2));
}

describe('subscription', () => {
  it('checkout through the operation, then order + subscription_created + payment_success: pro/active, linked customer, one receipt', async () => {
    const user = await owner();
    const id = ids();
    api.on('POST /v1/checkouts', { status: 201, body: { data: { type: 'checkouts', id: 'chk_op', attributes: { url: 'https://acme.lemonsqueezy.com/checkout/custom/chk_op?signature=x' } } } });
    const checkout = await t.call('generateCheckoutSession', { workspaceId: user.workspaceId, planId: 'pro' }, user);
    expect(checkout).toMatchObject({ status: 200, body: { sessionId: 'chk_op', sessionUrl: 'https://acme.lemonsqueezy.com/checkout/custom/chk_op?signature=x' } });
    const request = api.requests.find((r) => r.path === '/v1/checkouts');
    expect(request?.body).toMatchObject({
      data: { attributes: { checkout_data: { email: user.email, custom: { workspace_id: user.workspaceId, plan_id: 'pro' } } }, relationships: { variant: { data: { id: TEST_VARIANTS.pro } } } },
    });
    // No customer before payment: Lemon Squeezy creates it at checkout.
    expect(await t.workspace(user.workspaceId)).toMatchObject({ processorCustomerId: null });

    await subscribe(user, id);

    expect(await t.workspace(user.workspaceId)).toMatchObject({
      paymentProcessor: 'lemonsqueezy',
      processorCustomerId: id.customer,
      subscriptionId: id.subscription,
      subscriptionPlan: 'pro',
      subscriptionStatus: 'active',
      cancelAtPeriodEnd: false,
      currentPeriodEnd: lsDate(30 * DAY),
      datePaid: lsDate(2),
    });
    expect(await db().payment.findMany({ where: { workspaceId: user.workspaceId } })).toMatchObject([
      { processor: 'lemonsqueezy', moneyId: `invoice:${id.invoice}`, amount: 2900, currency: 'usd', status: 'succeeded' },
    ]);
    expect(await outboxFor(user.email)).toMatchObject([{ template: 'payment_succeeded', data: { amount: 2900, currency: 'usd' } }]);
    const actions = (await db().auditEvent.findMany({ where: { workspaceId: user.workspaceId } })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['checkout.created', 'checkout.completed', 'subscription.updated', 'payment.succeeded']));
    expect(await db().auditEvent.findFirstOrThrow({ where: { workspaceId: user.workspaceId, action: 'payment.succeeded' } })).toMatchObject({ actorType: 'processor', actorId: 'lemonsqueezy' });
  });

  it('takes one invoice’s money once: a retried delivery, and payment_recovered after payment_success', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(subscriptionOrder(user, id, 1), subscriptionEvent('subscription_created', user, id, 1));
    const success = signLemonSqueezyDelivery(invoiceEvent('subscription_payment_success', user, id, 2));
    expect(await post(success.body, success.headers)).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(await post(success.body, success.headers)).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await send(invoiceEvent('subscription_payment_recovered', user, id, 2))).toMatchObject({ status: 200, body: { duplicate: false } });
    // Re-sent with other bytes (a new meta.webhook_id): another delivery, the same money.
    expect(await send(invoiceEvent('subscription_payment_success', user, id, 2))).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(await db().payment.count({ where: { workspaceId: user.workspaceId } })).toBe(1);
    expect(await templatesFor(user.email)).toEqual(['payment_succeeded']);
  });

  it('opens the customer portal with a URL fetched fresh on each click', async () => {
    const user = await owner();
    const id = ids();
    await subscribe(user, id);
    let served = 0;
    api.on(`GET /v1/customers/${id.customer}`, () => ({
      status: 200,
      body: { data: { type: 'customers', id: id.customer, attributes: { urls: { customer_portal: `https://acme.lemonsqueezy.com/billing?expires=${++served}&signature=s` } } } },
    }));
    const first = await t.call('getCustomerPortalUrl', { workspaceId: user.workspaceId }, user);
    const second = await t.call('getCustomerPortalUrl', { workspaceId: user.workspaceId }, user);
    expect([first.body.url, second.body.url]).toEqual(['https://acme.lemonsqueezy.com/billing?expires=1&signature=s', 'https://acme.lemonsqueezy.com/billing?expires=2&signature=s']);
    expect(api.requests.filter((r) => r.path === `/v1/customers/${id.customer}`)).toHaveLength(2);
  });

  it('subscription_cancelled keeps access until ends_at, with cancelAtPeriodEnd and one cancellation email', async () => {
    const user = await owner();
    const id = ids();
    await subscribe(user, id);
    const cancelled = { status: 'cancelled', cancelled: true, endsAt: lsTime(30 * DAY) } as const;
    // Lemon Squeezy sends subscription_updated along with subscription_cancelled.
    await sendAll(subscriptionEvent('subscription_cancelled', user, id, 100, cancelled), subscriptionEvent('subscription_updated', user, id, 100, cancelled));
    expect(await billing(user)).toMatchObject({ plan: 'pro', subscriptionStatus: 'active', hasActivePlan: true, cancelAtPeriodEnd: true, currentPeriodEnd: lsDate(30 * DAY).toISOString() });
    expect(await outboxFor(user.email)).toMatchObject([{ template: 'payment_succeeded' }, { template: 'subscription_cancelled', data: { planName: 'Pro', accessUntil: lsDate(30 * DAY).toISOString() } }]);
  });

  it('subscription_expired ends it, and an older subscription_updated arriving later leaves it canceled', async () => {
    const user = await owner();
    const id = ids();
    await subscribe(user, id);
    await sendAll(
      subscriptionEvent('subscription_cancelled', user, id, 100, { status: 'cancelled', endsAt: lsTime(300) }),
      subscriptionEvent('subscription_expired', user, id, 301, { status: 'expired', endsAt: lsTime(300) }),
      subscriptionEvent('subscription_updated', user, id, 150, { status: 'active', cancelled: false }),
    );
    expect(await billing(user)).toMatchObject({ subscriptionStatus: 'canceled', hasActivePlan: false, cancelAtPeriodEnd: false });
    expect(await templatesFor(user.email)).toEqual(['payment_succeeded', 'subscription_cancelled', 'subscription_ended']);
    expect(await db().auditEvent.findMany({ where: { workspaceId: user.workspaceId, action: 'subscription.event_ignored' } })).toMatchObject([{ metadata: { reason: 'the subscription has already ended' } }]);
  });

  it('a failed renewal makes it past_due (with subscription_updated) and emails once however often Lemon Squeezy retries; recovery pays it', async () => {
    const user = await owner();
    const id = ids();
    await subscribe(user, id);
    const renewal = { invoice: nextId(), billingReason: 'renewal' } as const;
    await sendAll(
      invoiceEvent('subscription_payment_failed', user, id, 40, renewal),
      subscriptionEvent('subscription_updated', user, id, 40, { status: 'past_due', renewsAt: lsTime(43 * DAY) }),
      invoiceEvent('subscription_payment_failed', user, id, 50, renewal),
    );
    // The dunning grace runs from the first past_due state's time (its access, at read time, is entitlement's).
    expect(await billing(user)).toMatchObject({ subscriptionStatus: 'past_due', graceEndsAt: new Date(lsDate(40).getTime() + 7 * DAY * 1000).toISOString() });
    expect(await templatesFor(user.email)).toEqual(['payment_succeeded', 'payment_failed', 'subscription_past_due']);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: `invoice:${renewal.invoice}` } })).toMatchObject({ status: 'failed', amount: 2900 });

    await sendAll(invoiceEvent('subscription_payment_recovered', user, id, 60, renewal), subscriptionEvent('subscription_updated', user, id, 60, { status: 'active' }));
    expect(await billing(user)).toMatchObject({ subscriptionStatus: 'active' });
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: `invoice:${renewal.invoice}` } })).toMatchObject({ status: 'succeeded' });
    expect(await templatesFor(user.email)).toEqual(['payment_succeeded', 'payment_failed', 'subscription_past_due', 'payment_succeeded', 'subscription_recovered']);
  });

  it('asks Lemon Squeezy for the subscription when two different states carry the same updated_at', async () => {
    const user = await owner();
    const id = ids();
    api.on(`GET /v1/subscriptions/${id.subscription}`, { status: 200, body: { data: lsSubscription({ id: id.subscription, variantId: TEST_VARIANTS.hobby, status: 'active' }) } });
    await sendAll(subscriptionEvent('subscription_created', user, id, 7, { status: 'on_trial', trialEndsAt: lsTime(7 * DAY) }), subscriptionEvent('subscription_updated', user, id, 7, { status: 'past_due' }));
    expect(await t.workspace(user.workspaceId)).toMatchObject({ subscriptionStatus: 'active', subscriptionPlan: 'hobby', subscriptionUpdatedAt: lsDate(7) });
    expect(api.requests.some((r) => r.method === 'GET' && r.path === `/v1/subscriptions/${id.subscription}`)).toBe(true);
  });
});

describe('credit pack', () => {
  function packOrder(user: TestUser, id: Ids) {
    return lsWebhook('order_created', lsOrder({ id: id.order, customerId: id.customer, variantId: TEST_VARIANTS.credits10, total: 990, createdAt: lsTime(1) }), {
      workspaceId: user.workspaceId,
      planId: 'credits10',
    });
  }

  it('grants 10 credits exactly once, whether the order is retried or re-sent with other bytes', async () => {
    const user = await owner();
    const id = ids();
    const { body, headers } = signLemonSqueezyDelivery(packOrder(user, id));
    expect(await post(body, headers)).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(await post(body, headers)).toMatchObject({ status: 200, body: { duplicate: true } });
    // A re-sent copy (a new meta.webhook_id, so other bytes) is another delivery of the same order: no second grant.
    expect(await send(packOrder(user, id))).toMatchObject({ status: 200, body: { duplicate: false } });

    expect((await t.workspace(user.workspaceId)).credits).toBe(10);
    expect(await db().creditLedger.findMany({ where: { workspaceId: user.workspaceId } })).toMatchObject([{ amount: 10, moneyId: `order:${id.order}`, processor: 'lemonsqueezy' }]);
    expect(await db().payment.findMany({ where: { workspaceId: user.workspaceId } })).toMatchObject([{ moneyId: `order:${id.order}`, amount: 990, planId: 'credits10' }]);
    expect(await templatesFor(user.email)).toEqual(['credits_purchased']);
    expect(await t.workspace(user.workspaceId)).toMatchObject({ processorCustomerId: id.customer, subscriptionStatus: null });
  });

  it('takes the credits back when the order is refunded', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(packOrder(user, id));
    const refund = lsWebhook('order_refunded', lsOrder({ id: id.order, customerId: id.customer, variantId: TEST_VARIANTS.credits10, total: 990, status: 'refunded', refundedAmount: 990, refundedAt: lsTime(100), updatedAt: lsTime(100) }), {
      workspaceId: user.workspaceId,
      planId: 'credits10',
    });
    expect((await send(refund)).status).toBe(200);
    expect((await t.workspace(user.workspaceId)).credits).toBe(0);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: `order:${id.order}` } })).toMatchObject({ status: 'refunded', amountRefunded: 990 });
    expect(await db().auditEvent.findFirstOrThrow({ where: { workspaceId: user.workspaceId, action: 'payment.refunded' } })).toMatchObject({ metadata: { creditsRevoked: 10 } });
  });
});

describe('bad deliveries', () => {
  it('answers 400 to a bad or missing signature and writes nothing', async () => {
    const user = await owner();
    const id = ids();
    const webhook = subscriptionEvent('subscription_created', user, id, 1);
    const deliveriesBefore = await deliveryCount();
    const forged = await send(webhook, { secret: 'not_the_signing_secret' });
    expect(forged).toMatchObject({ status: 400, body: { message: expect.stringMatching(/signature does not match/) } });
    const unsigned = await post(JSON.stringify(webhook), { 'content-type': 'application/json', 'x-event-name': 'subscription_created' });
    expect(unsigned).toMatchObject({ status: 400, body: { message: 'Missing x-signature header: not a Lemon Squeezy webhook' } });
    expect(await deliveryCount()).toBe(deliveriesBefore);
    expect(await t.workspace(user.workspaceId)).toMatchObject({ subscriptionId: null, subscriptionStatus: null });
    expect(await db().auditEvent.count({ where: { workspaceId: user.workspaceId, actorType: 'processor' } })).toBe(0);
  });

  it('answers 400 to a signed delivery whose x-event-name disagrees with its body (nothing written), 422 to one that lacks a field (stored failed)', async () => {
    const user = await owner();
    const id = ids();
    const deliveriesBefore = await deliveryCount();
    const mismatch = await send(lsWebhook('order_created', lsOrder({ id: id.order, variantId: TEST_VARIANTS.credits10 }), { workspaceId: user.workspaceId, planId: 'credits10' }), { eventName: 'order_refunded' });
    expect(mismatch).toMatchObject({ status: 400, body: { message: expect.stringMatching(/x-event-name header does not match/) } });

    const order = lsOrder({ variantId: TEST_VARIANTS.credits10 });
    const { total: _total, ...attributes } = order.attributes;
    const malformed = await send(lsWebhook('order_created', { ...order, attributes } as typeof order, { workspaceId: user.workspaceId, planId: 'credits10' }));
    expect(malformed).toMatchObject({ status: 422, body: { message: expect.stringMatching(/data\.attributes\.total/) } });
    expect(await deliveryCount()).toBe(deliveriesBefore + 1);
    expect((await t.workspace(user.workspaceId)).credits).toBe(0);
  });
});
