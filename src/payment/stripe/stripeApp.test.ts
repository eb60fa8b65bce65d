import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import type { TestServer, TestUser } from '../../test/testServer.js';
import type { FakeStripeApi } from './testing/fakeStripeApi.js';
import { startStripeTestApp, stripeTestIds, type StripeTestApp } from './testing/stripeTestApp.js';
import {
  nowSeconds,
  stripeCharge,
  stripeCheckoutSession,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
  TEST_PRICES,
} from './testing/stripeObjects.js';

// The Stripe driver inside the real app, over HTTP, on a fresh PostgreSQL database (testing/stripeTestApp.ts).

let app: StripeTestApp;
let api: FakeStripeApi;
let t: TestServer;
beforeAll(async () => {
  app = await startStripeTestApp();
  ({ api, t } = app);
});
afterAll(() => app.close());

const send = (event: unknown, o: { secret?: string; timestamp?: number } = {}) => app.send(event, o);
const sendAll = (...events: unknown[]) => app.sendAll(...events);
const owner = () => app.owner();
const ids = stripeTestIds;
const outboxFor = (recipient: string) => app.outboxFor(recipient);
const auditActions = async (workspaceId: string) => (await db().auditEvent.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } })).map((e) => e.action);
const base = nowSeconds() - 3_600;

/** Links the workspace's customer the way checkout.session.completed does, before subscription events by customer. */
function subscriptionCheckout(workspaceId: string, id: ReturnType<typeof ids>, created: number) {
  return stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'subscription', customer: id.customer, workspaceId, subscription: id.subscription, planId: 'pro' }), { created });
}
function subscriptionEvent(
  type: 'customer.subscription.created' | 'customer.subscription.updated' | 'customer.subscription.deleted',
  workspaceId: string,
  id: ReturnType<typeof ids>,
  created: number,
  o: { status?: Stripe.Subscription.Status; priceId?: string; currentPeriodEnd?: number; quantity?: number } = {},
) {
  const subscription = stripeSubscription({ id: id.subscription, customer: id.customer, workspaceId, priceId: o.priceId ?? TEST_PRICES.pro, status: o.status ?? 'active', currentPeriodEnd: o.currentPeriodEnd ?? base + 30 * 86_400 });
  if (o.quantity !== undefined) subscription.items.data[0]!.quantity = o.quantity;
  return stripeEvent(type, subscription, { created });
}
function subscriptionInvoice(type: 'invoice.paid' | 'invoice.payment_failed', workspaceId: string, id: ReturnType<typeof ids>, created: number, o: { invoice?: string } = {}) {
  const invoice = stripeInvoice({
    id: o.invoice ?? id.invoice,
    customer: id.customer,
    amount: 2900,
    priceId: TEST_PRICES.pro,
    status: type === 'invoice.paid' ? 'paid' : 'open',
    subscription: { id: id.subscription, workspaceId, planId: 'pro' },
    paidAt: created,
  });
  return stripeEvent(type, invoice, { created });
}

describe('subscription checkout', () => {
  it('creates the customer and session through the operation, then webhooks make the workspace pro/active with a receipt and audit', async () => {
    const user = await owner();
    const id = ids();
    api.on('POST /v1/customers', { status: 200, body: { id: id.customer, object: 'customer' } });
    api.on('POST /v1/checkout/sessions', { status: 200, body: { id: 'cs_test_op', object: 'checkout.session', url: 'https://checkout.stripe.test/c/pay/cs_test_op' } });
    const checkout = await t.call('generateCheckoutSession', { workspaceId: user.workspaceId, planId: 'pro' }, user);
    expect(checkout).toMatchObject({ status: 200, body: { sessionId: 'cs_test_op', sessionUrl: 'https://checkout.stripe.test/c/pay/cs_test_op' } });
    const sessionRequest = api.requests.find((r) => r.path === '/v1/checkout/sessions' && r.params.client_reference_id === user.workspaceId);
    expect(sessionRequest?.params).toMatchObject({ mode: 'subscription', customer: id.customer, 'subscription_data[metadata][workspaceId]': user.workspaceId });
    expect(await t.workspace(user.workspaceId)).toMatchObject({ paymentProcessor: 'stripe', processorCustomerId: id.customer });

    const periodEnd = base + 31 * 86_400;
    await sendAll(
      subscriptionCheckout(user.workspaceId, id, base + 1),
      subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1, { currentPeriodEnd: periodEnd }),
      subscriptionInvoice('invoice.paid', user.workspaceId, id, base + 2),
    );

    const workspace = await t.workspace(user.workspaceId);
    expect(workspace).toMatchObject({ subscriptionId: id.subscription, subscriptionPlan: 'pro', subscriptionStatus: 'active', currentPeriodEnd: new Date(periodEnd * 1000), datePaid: new Date((base + 2) * 1000) });
    expect(await db().payment.findMany({ where: { workspaceId: user.workspaceId } })).toMatchObject([{ processor: 'stripe', moneyId: id.invoice, amount: 2900, currency: 'usd', status: 'succeeded', planId: 'pro' }]);
    expect(await outboxFor(user.email)).toMatchObject([{ template: 'payment_succeeded', data: { amount: 2900, currency: 'usd', planName: 'Pro' } }]);
    expect(await auditActions(user.workspaceId)).toEqual(expect.arrayContaining(['checkout.created', 'checkout.completed', 'subscription.updated', 'payment.succeeded']));
    expect(await db().auditEvent.findFirstOrThrow({ where: { workspaceId: user.workspaceId, action: 'payment.succeeded' } })).toMatchObject({ actorType: 'processor', actorId: 'stripe', target: id.invoice });
  });

  it('takes the money of one invoice once when it arrives under two event ids (and ignores invoice.payment_succeeded)', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(subscriptionCheckout(user.workspaceId, id, base + 1), subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1));
    const first = await send(subscriptionInvoice('invoice.paid', user.workspaceId, id, base + 2));
    const twin = await send(subscriptionInvoice('invoice.paid', user.workspaceId, id, base + 2));
    const sameFact = await send(stripeEvent('invoice.payment_succeeded', stripeInvoice({ id: id.invoice, customer: id.customer, subscription: { id: id.subscription, workspaceId: user.workspaceId } })));
    expect([first.status, twin.status, sameFact.status]).toEqual([200, 200, 200]);
    expect(twin.body.duplicate).toBe(false);
    expect(await db().payment.count({ where: { moneyId: id.invoice } })).toBe(1);
    expect((await outboxFor(user.email)).filter((e) => e.template === 'payment_succeeded')).toHaveLength(1);
    expect(await db().webhookDelivery.count({ where: { processor: 'stripe', type: 'invoice.payment_succeeded', status: 'processed' } })).toBeGreaterThanOrEqual(1);
  });

  it('ends in the right state when customer.subscription.updated arrives before checkout.session.completed and created', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(
      subscriptionEvent('customer.subscription.updated', user.workspaceId, id, base + 10, { status: 'active' }),
      subscriptionCheckout(user.workspaceId, id, base + 5),
      subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1, { status: 'incomplete' }),
    );
    expect(await t.workspace(user.workspaceId)).toMatchObject({ subscriptionStatus: 'active', subscriptionPlan: 'pro', processorCustomerId: id.customer, subscriptionUpdatedAt: new Date((base + 10) * 1000) });
  });

  it('keeps the seats of the subscription: its item’s quantity, shown with the workspace’s billing', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(subscriptionCheckout(user.workspaceId, id, base + 1), subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1, { quantity: 5 }));
    expect((await t.call('getWorkspaceBilling', { workspaceId: user.workspaceId }, user)).body).toMatchObject({ plan: 'pro', quantity: 5 });
    await sendAll(subscriptionEvent('customer.subscription.updated', user.workspaceId, id, base + 2, { quantity: 3 }));
    expect((await t.workspace(user.workspaceId)).quantity).toBe(3);
  });

  it('keeps a deleted subscription canceled when an older updated arrives after it', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(
      subscriptionCheckout(user.workspaceId, id, base + 1),
      subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1),
      subscriptionEvent('customer.subscription.deleted', user.workspaceId, id, base + 30, { status: 'canceled' }),
      subscriptionEvent('customer.subscription.updated', user.workspaceId, id, base + 20, { status: 'active' }),
    );
    expect((await t.workspace(user.workspaceId)).subscriptionStatus).toBe('canceled');
    expect((await outboxFor(user.email)).map((e) => e.template)).toEqual(['subscription_ended']);
  });

  it('goes past_due on a failed renewal and emails the owner once, however often Stripe retries the invoice', async () => {
    const user = await owner();
    const id = ids();
    await sendAll(
      subscriptionCheckout(user.workspaceId, id, base + 1),
      subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1),
      subscriptionInvoice('invoice.payment_failed', user.workspaceId, id, base + 40, { invoice: `${id.invoice}_renewal` }),
      subscriptionEvent('customer.subscription.updated', user.workspaceId, id, base + 40, { status: 'past_due' }),
      subscriptionInvoice('invoice.payment_failed', user.workspaceId, id, base + 50, { invoice: `${id.invoice}_renewal` }),
    );
    expect((await t.workspace(user.workspaceId)).subscriptionStatus).toBe('past_due');
    expect((await outboxFor(user.email)).map((e) => e.template).sort()).toEqual(['payment_failed', 'subscription_past_due']);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: `${id.invoice}_renewal` } })).toMatchObject({ status: 'failed', amount: 2900 });
  });

  it('asks Stripe for the subscription when two different states carry the same second', async () => {
    const user = await owner();
    const id = ids();
    api.on(`GET /v1/subscriptions/${id.subscription}`, { status: 200, body: stripeSubscription({ id: id.subscription, customer: id.customer, workspaceId: user.workspaceId, priceId: TEST_PRICES.hobby, status: 'active' }) });
    await sendAll(
      subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 7, { status: 'incomplete' }),
      subscriptionEvent('customer.subscription.updated', user.workspaceId, id, base + 7, { status: 'past_due' }),
    );
    expect(await t.workspace(user.workspaceId)).toMatchObject({ subscriptionStatus: 'active', subscriptionPlan: 'hobby' });
    expect(api.requests.some((r) => r.method === 'GET' && r.path === `/v1/subscriptions/${id.subscription}`)).toBe(true);
  });
});

describe('credit pack', () => {
  async function buyPack(user: TestUser, id: ReturnType<typeof ids>) {
    const session = stripeCheckoutSession({ mode: 'payment', customer: id.customer, workspaceId: user.workspaceId, planId: 'credits10', paymentIntent: id.paymentIntent, invoice: id.invoice, amountTotal: 990 });
    const completed = stripeEvent('checkout.session.completed', session, { created: base + 1 });
    const checkoutInvoice = stripeEvent(
      'invoice.paid',
      stripeInvoice({ id: id.invoice, customer: id.customer, priceId: TEST_PRICES.credits10, amount: 990, metadata: { workspaceId: user.workspaceId, planId: 'credits10' } }),
      { created: base + 1 },
    );
    await sendAll(checkoutInvoice, completed, completed);
  }

  it('grants 10 credits exactly once, even though invoice.paid for its invoice arrives too', async () => {
    const user = await owner();
    const id = ids();
    await buyPack(user, id);
    expect((await t.workspace(user.workspaceId)).credits).toBe(10);
    expect(await db().creditLedger.findMany({ where: { workspaceId: user.workspaceId } })).toMatchObject([{ amount: 10, moneyId: id.paymentIntent, processor: 'stripe' }]);
    expect(await db().payment.findMany({ where: { workspaceId: user.workspaceId } })).toMatchObject([{ moneyId: id.paymentIntent, amount: 990, planId: 'credits10' }]);
    expect((await outboxFor(user.email)).map((e) => e.template)).toEqual(['credits_purchased']);
  });

  it('takes the credits back when the pack’s charge is refunded', async () => {
    const user = await owner();
    const id = ids();
    await buyPack(user, id);
    const charge = stripeCharge({ customer: id.customer, paymentIntent: id.paymentIntent, amount: 990, amountRefunded: 990, metadata: { workspaceId: user.workspaceId, planId: 'credits10' } });
    const refund = await send(stripeEvent('charge.refunded', charge, { created: base + 100 }));
    expect(refund.status).toBe(200);
    expect((await t.workspace(user.workspaceId)).credits).toBe(0);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: id.paymentIntent } })).toMatchObject({ status: 'refunded', amountRefunded: 990 });
    expect(await db().auditEvent.findFirstOrThrow({ where: { workspaceId: user.workspaceId, action: 'payment.refunded' } })).toMatchObject({ metadata: { creditsRevoked: 10 } });
  });
});

describe('subscription refund', () => {
  it("matches a refunded renewal charge to its invoice through Stripe's invoice payments", async () => {
    const user = await owner();
    const id = ids();
    await sendAll(subscriptionCheckout(user.workspaceId, id, base + 1), subscriptionInvoice('invoice.paid', user.workspaceId, id, base + 2));
    const paid = stripeInvoice({ id: id.invoice, customer: id.customer, subscription: { id: id.subscription, workspaceId: user.workspaceId } });
    api.on('GET /v1/invoice_payments', (request) => ({
      status: 200,
      body: {
        object: 'list',
        has_more: false,
        url: '/v1/invoice_payments',
        data: request.params['payment[payment_intent]'] === id.paymentIntent ? [{ id: 'inpay_1', object: 'invoice_payment', invoice: paid, payment: { type: 'payment_intent', payment_intent: id.paymentIntent } }] : [],
      },
    }));
    await sendAll(stripeEvent('charge.refunded', stripeCharge({ customer: id.customer, paymentIntent: id.paymentIntent, amount: 2900, amountRefunded: 1000 }), { created: base + 50 }));
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: id.invoice } })).toMatchObject({ status: 'partially_refunded', amountRefunded: 1000 });
    expect(await db().auditEvent.count({ where: { workspaceId: user.workspaceId, action: 'payment.refund_unmatched' } })).toBe(0);
  });
});

describe('bad deliveries', () => {
  it('answers 400 to a bad signature or a stale timestamp and writes nothing', async () => {
    const user = await owner();
    const id = ids();
    const event = subscriptionEvent('customer.subscription.created', user.workspaceId, id, base + 1);
    const forged = await send(event, { secret: 'whsec_not_ours' });
    expect(forged).toMatchObject({ status: 400, body: { message: expect.stringMatching(/signature does not match/) } });
    const stale = await send(event, { timestamp: nowSeconds() - 600 });
    expect(stale.status).toBe(400);
    const unsigned = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(event) });
    expect(unsigned.status).toBe(400);
    expect(await db().webhookDelivery.count({ where: { eventId: event.id } })).toBe(0);
    expect(await t.workspace(user.workspaceId)).toMatchObject({ subscriptionId: null, subscriptionStatus: null });
    expect(await db().auditEvent.count({ where: { workspaceId: user.workspaceId, actorType: 'processor' } })).toBe(0);
  });

  it('stores a signed but malformed delivery of ours as failed, naming the field, and changes nothing else', async () => {
    const user = await owner();
    const invoice: Partial<Stripe.Invoice> = { ...stripeInvoice({ subscription: { id: 'sub_m', workspaceId: user.workspaceId } }) };
    delete invoice.currency;
    const event = stripeEvent('invoice.paid', invoice as Stripe.Invoice);
    const res = await send(event);
    expect(res.status).toBe(422);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { processor_eventId: { processor: 'stripe', eventId: event.id } } })).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/data\.object\.currency/),
    });
    expect(await db().payment.count({ where: { workspaceId: user.workspaceId } })).toBe(0);
  });
});
