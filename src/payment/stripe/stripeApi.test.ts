import { createServer } from 'node:net';
import type Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProcessorError, type CheckoutRequest } from '../paymentProcessor.js';
import { plans } from '../plans.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { STRIPE_API_VERSION } from './stripeClient.js';
import type { StripeSettings } from './stripeConfig.js';
import { createStripeDriver, createStripeProcessor } from './stripeProcessor.js';
import { startFakeStripeApi, stripeErrorResponse, type FakeStripeApi } from './testing/fakeStripeApi.js';
import {
  signStripeDelivery,
  stripeCharge,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
  TEST_PLAN_ENV,
  TEST_PRICES,
  TEST_WEBHOOK_SECRET,
} from './testing/stripeObjects.js';

const API_KEY = 'sk_test_51AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
const planIds = loadProcessorPlanIds(TEST_PLAN_ENV);

let api: FakeStripeApi;
beforeAll(async () => {
  api = await startFakeStripeApi();
});
afterAll(() => api.close());
beforeEach(() => api.reset());

function driver(overrides: Partial<StripeSettings> = {}) {
  return createStripeDriver({
    apiKey: API_KEY,
    webhookSecret: TEST_WEBHOOK_SECRET,
    apiUrl: api.url,
    automaticTax: false,
    planIds,
    maxNetworkRetries: 0,
    timeoutMs: 5_000,
    ...overrides,
  });
}

function checkoutRequest(o: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    workspace: { id: 'ws_123', name: 'Acme' },
    customerId: 'cus_acme',
    customerEmail: 'owner@acme.test',
    plan: plans.pro,
    processorPlanId: TEST_PRICES.pro,
    successUrl: 'http://localhost:3001/checkout?status=success&workspaceId=ws_123',
    cancelUrl: 'http://localhost:3001/checkout?status=canceled&workspaceId=ws_123',
    idempotencyKey: 'idem-checkout-1',
    trialDays: null,
    ...o,
  };
}

const sessionReply = (o: { id?: string; url?: string | null } = {}) => ({
  status: 200,
  body: { id: o.id ?? 'cs_test_1', object: 'checkout.session', url: o.url === undefined ? 'https://checkout.stripe.test/c/pay/cs_test_1' : o.url },
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('createCustomer', () => {
  it('creates one customer per workspace, carrying its id, with an idempotency key and the pinned API version', async () => {
    api.on('POST /v1/customers', { status: 200, body: { id: 'cus_new', object: 'customer' } });
    const id = await driver().createCustomer!({ workspace: { id: 'ws_123', name: 'Acme' }, email: 'owner@acme.test' });
    expect(id).toBe('cus_new');
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request!.params).toEqual({ email: 'owner@acme.test', name: 'Acme', 'metadata[workspaceId]': 'ws_123' });
    expect(request!.headers).toMatchObject({ 'idempotency-key': 'customer-ws_123', 'stripe-version': STRIPE_API_VERSION, authorization: `Bearer ${API_KEY}` });
  });
});

describe('createCheckoutSession', () => {
  it('creates a subscription checkout for an existing customer', async () => {
    api.on('POST /v1/checkout/sessions', sessionReply());
    const session = await driver().createCheckoutSession(checkoutRequest());
    expect(session).toEqual({ sessionId: 'cs_test_1', sessionUrl: 'https://checkout.stripe.test/c/pay/cs_test_1' });
    const [request] = api.requests;
    expect(request!.headers['idempotency-key']).toBe('idem-checkout-1');
    expect(request!.params).toEqual({
      mode: 'subscription',
      'line_items[0][price]': TEST_PRICES.pro,
      'line_items[0][quantity]': '1',
      customer: 'cus_acme',
      client_reference_id: 'ws_123',
      'metadata[workspaceId]': 'ws_123',
      'metadata[planId]': 'pro',
      'subscription_data[metadata][workspaceId]': 'ws_123',
      'subscription_data[metadata][planId]': 'pro',
      allow_promotion_codes: 'true',
      success_url: 'http://localhost:3001/checkout?status=success&workspaceId=ws_123&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:3001/checkout?status=canceled&workspaceId=ws_123',
    });
  });

  it('asks for the free trial the core offers (trial_period_days), and for none when it offers none', async () => {
    api.on('POST /v1/checkout/sessions', sessionReply());
    await driver().createCheckoutSession(checkoutRequest({ plan: plans.hobby, processorPlanId: TEST_PRICES.hobby, trialDays: 14 }));
    await driver().createCheckoutSession(checkoutRequest({ plan: plans.hobby, processorPlanId: TEST_PRICES.hobby, trialDays: null }));
    const [withTrial, without] = api.requests.map((r) => r.params);
    expect(withTrial).toMatchObject({ 'subscription_data[trial_period_days]': '14', 'subscription_data[metadata][planId]': 'hobby' });
    expect(Object.keys(without!)).not.toContain('subscription_data[trial_period_days]');
  });

  it('creates a one-time payment checkout for a credit pack, by email when there is no customer yet', async () => {
    api.on('POST /v1/checkout/sessions', sessionReply());
    await driver().createCheckoutSession(checkoutRequest({ customerId: null, plan: plans.credits10, processorPlanId: TEST_PRICES.credits10, successUrl: 'http://app.test/done' }));
    const { params } = api.requests[0]!;
    expect(params).toMatchObject({
      mode: 'payment',
      'line_items[0][price]': TEST_PRICES.credits10,
      customer_email: 'owner@acme.test',
      customer_creation: 'always',
      'payment_intent_data[metadata][workspaceId]': 'ws_123',
      'payment_intent_data[metadata][planId]': 'credits10',
      'invoice_creation[enabled]': 'true',
      'invoice_creation[invoice_data][metadata][planId]': 'credits10',
      success_url: 'http://app.test/done?session_id={CHECKOUT_SESSION_ID}',
    });
    expect(Object.keys(params).filter((key) => key.startsWith('subscription_data') || key === 'customer' || key.startsWith('automatic_tax'))).toEqual([]);
  });

  it('turns on automatic tax when configured, letting checkout save the address of an existing customer', async () => {
    api.on('POST /v1/checkout/sessions', sessionReply());
    const taxed = driver({ automaticTax: true });
    await taxed.createCheckoutSession(checkoutRequest());
    await taxed.createCheckoutSession(checkoutRequest({ customerId: null }));
    expect(api.requests[0]!.params).toMatchObject({ 'automatic_tax[enabled]': 'true', 'customer_update[address]': 'auto' });
    expect(api.requests[1]!.params).toMatchObject({ 'automatic_tax[enabled]': 'true' });
    expect(api.requests[1]!.params).not.toHaveProperty('customer_update[address]');
  });

  it('refuses a price that is not the plan’s before calling Stripe', async () => {
    const error = await rejection(driver().createCheckoutSession(checkoutRequest({ processorPlanId: TEST_PRICES.hobby })));
    expect(error).toMatchObject({ name: 'ProcessorError', kind: 'invalid_request' });
    expect(error.message).toMatch(/price price_test_hobby is not the price of plan "pro"/);
    expect(api.requests).toEqual([]);
  });

  it('reports a session without a URL as an API failure', async () => {
    api.on('POST /v1/checkout/sessions', sessionReply({ url: null }));
    const error = await rejection(driver().createCheckoutSession(checkoutRequest()));
    expect(error).toBeInstanceOf(ProcessorError);
    expect(error).toMatchObject({ kind: 'api', message: 'Could not create the checkout session: Stripe returned session cs_test_1 without a URL' });
  });

  it('retries a 500 with the same idempotency key', async () => {
    api.sequence('POST /v1/checkout/sessions', [stripeErrorResponse(500, 'Something went wrong on our end.'), sessionReply({ id: 'cs_after_retry' })]);
    const session = await driver({ maxNetworkRetries: 1 }).createCheckoutSession(checkoutRequest());
    expect(session.sessionId).toBe('cs_after_retry');
    expect(api.requests.map((r) => r.headers['idempotency-key'])).toEqual(['idem-checkout-1', 'idem-checkout-1']);
  });
});

describe('errors', () => {
  const cases = [
    { status: 402, message: 'Your card was declined.', kind: 'card', expected: 'Could not create the checkout session: Your card was declined.' },
    { status: 400, message: 'No such price: price_test_pro', kind: 'invalid_request', expected: 'Could not create the checkout session: No such price: price_test_pro' },
    { status: 401, message: `Invalid API Key provided: sk_test_****${API_KEY.slice(-4)}`, kind: 'authentication', expected: 'Could not create the checkout session: Stripe rejected the API key (check STRIPE_API_KEY)' },
    { status: 403, message: `The provided key '${API_KEY}' does not have access to this resource.`, kind: 'authentication', expected: /may not do this/ },
    { status: 429, message: 'Too many requests hit the API too quickly.', kind: 'rate_limit', expected: /Too many requests/ },
    { status: 500, message: 'Something went wrong on our end.', kind: 'api', expected: /Something went wrong on our end\./ },
  ] as const;

  it.each(cases)('maps HTTP $status to a ProcessorError of kind $kind, without the key', async ({ status, message, kind, expected }) => {
    api.on('POST /v1/checkout/sessions', stripeErrorResponse(status, message));
    const error = await rejection(driver().createCheckoutSession(checkoutRequest()));
    expect(error).toBeInstanceOf(ProcessorError);
    expect((error as ProcessorError).kind).toBe(kind);
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain(API_KEY.slice(-4));
    expect(error.message).not.toMatch(/sk_test/);
  });

  it('scrubs a key from a message Stripe passes through', async () => {
    api.on('POST /v1/customers', stripeErrorResponse(400, `Key sk_test_abc123 cannot create customers in livemode`));
    const error = await rejection(driver().createCustomer!({ workspace: { id: 'ws_1', name: 'A' }, email: 'a@b.test' }));
    expect(error).toMatchObject({ kind: 'invalid_request', message: 'Could not create the Stripe customer: Key [key] cannot create customers in livemode' });
  });

  it('maps an unreachable API to a connection error', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const error = await rejection(driver({ apiUrl: `http://127.0.0.1:${closedPort}` }).createCustomer!({ workspace: { id: 'ws_1', name: 'A' }, email: 'a@b.test' }));
    expect(error).toMatchObject({ name: 'ProcessorError', kind: 'connection' });
    expect(error.message).toMatch(/^Could not create the Stripe customer: /);
  });
});

describe('fetchCustomerPortalUrl', () => {
  const args = { customerId: 'cus_acme', returnUrl: 'http://localhost:3001/account?workspaceId=ws_123' };
  const missingConfiguration = stripeErrorResponse(400, 'No configuration provided and your test mode default configuration has not been created. Provide a configuration or create your default by saving your customer portal settings in test mode.');

  it('creates a fresh portal session for the customer', async () => {
    api.on('POST /v1/billing_portal/sessions', { status: 200, body: { id: 'bps_1', object: 'billing_portal.session', url: 'https://billing.stripe.test/p/session/1' } });
    expect(await driver().fetchCustomerPortalUrl(args)).toBe('https://billing.stripe.test/p/session/1');
    expect(api.requests[0]!.params).toEqual({ customer: 'cus_acme', return_url: args.returnUrl });
  });

  it('falls back to STRIPE_CUSTOMER_PORTAL_URL only when Stripe has no portal configuration', async () => {
    const fallback = 'https://billing.stripe.test/p/login/test_123';
    api.on('POST /v1/billing_portal/sessions', missingConfiguration);
    expect(await driver({ customerPortalFallbackUrl: fallback }).fetchCustomerPortalUrl(args)).toBe(fallback);
    expect(await rejection(driver().fetchCustomerPortalUrl(args))).toMatchObject({ kind: 'invalid_request', message: expect.stringMatching(/^Could not open the customer portal: No configuration provided/) });

    api.on('POST /v1/billing_portal/sessions', stripeErrorResponse(400, 'No such customer: cus_acme'));
    expect(await rejection(driver({ customerPortalFallbackUrl: fallback }).fetchCustomerPortalUrl(args))).toMatchObject({ kind: 'invalid_request', message: 'Could not open the customer portal: No such customer: cus_acme' });
  });
});

describe('fetchSubscription', () => {
  it('maps the subscription Stripe holds now, stamped with the current time', async () => {
    const subscription = stripeSubscription({ id: 'sub_now', workspaceId: 'ws_1', priceId: TEST_PRICES.hobby, status: 'past_due', currentPeriodEnd: 1_800_000_000 });
    api.on('GET /v1/subscriptions/sub_now', { status: 200, body: subscription });
    const before = Date.now();
    const snapshot = await driver().fetchSubscription('sub_now');
    expect(snapshot).toMatchObject({ subscriptionId: 'sub_now', planId: 'hobby', status: 'past_due', cancelAtPeriodEnd: false, currentPeriodEnd: new Date(1_800_000_000_000), trialEnd: null });
    expect(snapshot!.occurredAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('answers null for a subscription Stripe does not have, and reports other failures', async () => {
    expect(await driver().fetchSubscription('sub_missing')).toBeNull();
    api.on('GET /v1/subscriptions/sub_broken', stripeErrorResponse(500, 'Something went wrong on our end.'));
    expect(await rejection(driver().fetchSubscription('sub_broken'))).toMatchObject({ kind: 'api', message: expect.stringMatching(/^Could not fetch subscription sub_broken: /) });
    api.on('GET /v1/subscriptions/sub_foreign', { status: 200, body: stripeSubscription({ id: 'sub_foreign', priceId: 'price_other' }) });
    expect(await rejection(driver().fetchSubscription('sub_foreign'))).toMatchObject({ kind: 'api', message: expect.stringMatching(/price price_other is not one of our plans/) });
  });
});

describe('subscription changes', () => {
  const updates = () => api.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/v1/subscriptions/'));

  it('changes the plan by replacing the item’s price in place, prorated or not; no call when it already has the price', async () => {
    const subscription = stripeSubscription({ id: 'sub_plan', priceId: TEST_PRICES.hobby });
    const itemId = subscription.items.data[0]!.id;
    api.on('GET /v1/subscriptions/sub_plan', { status: 200, body: subscription });
    api.on('POST /v1/subscriptions/sub_plan', { status: 200, body: subscription });
    await driver().changeSubscriptionPlan!('sub_plan', TEST_PRICES.pro, { prorate: true });
    await driver().changeSubscriptionPlan!('sub_plan', TEST_PRICES.credits10, { prorate: false });
    expect(updates().map((r) => r.params)).toEqual([
      { 'items[0][id]': itemId, 'items[0][price]': TEST_PRICES.pro, proration_behavior: 'create_prorations' },
      { 'items[0][id]': itemId, 'items[0][price]': TEST_PRICES.credits10, proration_behavior: 'none' },
    ]);
    await driver().changeSubscriptionPlan!('sub_plan', TEST_PRICES.hobby, { prorate: true });
    expect(updates()).toHaveLength(2);
  });

  it('cancels at period end with the flag, now with DELETE', async () => {
    api.on('POST /v1/subscriptions/sub_c', { status: 200, body: stripeSubscription({ id: 'sub_c', cancelAtPeriodEnd: true }) });
    api.on('DELETE /v1/subscriptions/sub_c', { status: 200, body: stripeSubscription({ id: 'sub_c', status: 'canceled' }) });
    await driver().cancelSubscription!('sub_c', { atPeriodEnd: true });
    await driver().cancelSubscription!('sub_c', { atPeriodEnd: false });
    expect(api.requests.map((r) => [r.method, r.path, r.params])).toEqual([
      ['POST', '/v1/subscriptions/sub_c', { cancel_at_period_end: 'true' }],
      ['DELETE', '/v1/subscriptions/sub_c', {}],
    ]);
  });

  it('resumes by clearing whichever cancellation is pending: the period-end flag, or a set cancel_at', async () => {
    api.on('GET /v1/subscriptions/sub_flag', { status: 200, body: stripeSubscription({ id: 'sub_flag', cancelAtPeriodEnd: true, cancelAt: 1_800_000_000 }) });
    api.on('GET /v1/subscriptions/sub_at', { status: 200, body: stripeSubscription({ id: 'sub_at', cancelAt: 1_800_000_000 }) });
    api.on('GET /v1/subscriptions/sub_none', { status: 200, body: stripeSubscription({ id: 'sub_none' }) });
    for (const id of ['sub_flag', 'sub_at']) api.on(`POST /v1/subscriptions/${id}`, { status: 200, body: stripeSubscription({ id }) });
    for (const id of ['sub_flag', 'sub_at', 'sub_none']) await driver().resumeSubscription!(id);
    expect(updates().map((r) => [r.path, r.params])).toEqual([
      ['/v1/subscriptions/sub_flag', { cancel_at_period_end: 'false' }],
      ['/v1/subscriptions/sub_at', { cancel_at: '' }],
    ]);
  });

  it('reports Stripe’s refusals as ProcessorErrors saying what failed', async () => {
    api.on('POST /v1/subscriptions/sub_gone', stripeErrorResponse(400, 'A canceled subscription can only update its cancellation_details and metadata.'));
    expect(await rejection(driver().cancelSubscription!('sub_gone', { atPeriodEnd: true }))).toMatchObject({
      kind: 'invalid_request',
      message: 'Could not cancel subscription sub_gone: A canceled subscription can only update its cancellation_details and metadata.',
    });
    expect(await rejection(driver().changeSubscriptionPlan!('sub_missing', TEST_PRICES.pro, { prorate: true }))).toMatchObject({
      kind: 'invalid_request',
      message: expect.stringMatching(/^Could not change the plan of subscription sub_missing: /),
    });
    api.on('GET /v1/subscriptions/sub_down', stripeErrorResponse(503, 'Service unavailable.'));
    expect(await rejection(driver().resumeSubscription!('sub_down'))).toMatchObject({ kind: 'api', message: expect.stringMatching(/^Could not resume subscription sub_down: /) });
  });
});

describe('refund lookup through the API', () => {
  function invoicePayment(invoice: Stripe.Invoice, paymentIntent: string): Stripe.InvoicePayment {
    return {
      id: 'inpay_1',
      object: 'invoice_payment',
      amount_paid: invoice.amount_paid,
      amount_requested: invoice.amount_due,
      created: invoice.created,
      currency: invoice.currency,
      invoice,
      is_default: true,
      livemode: false,
      payment: { type: 'payment_intent', payment_intent: paymentIntent },
      status: 'paid',
      status_transitions: { canceled_at: null, paid_at: invoice.created },
    };
  }
  const listOf = (data: Stripe.InvoicePayment[]) => ({ status: 200, body: { object: 'list', data, has_more: false, url: '/v1/invoice_payments' } });

  async function refundMoneyId(charge: Stripe.Charge) {
    const { body, headers } = signStripeDelivery(stripeEvent('charge.refunded', charge));
    const delivery = await driver().parseWebhook(Buffer.from(body), headers);
    const [event] = delivery.events;
    return event?.type === 'payment.refunded' ? event.moneyId : undefined;
  }

  it("finds the subscription invoice a refunded charge's payment intent paid", async () => {
    api.on('GET /v1/invoice_payments', listOf([invoicePayment(stripeInvoice({ id: 'in_sub_paid', subscription: { id: 'sub_1', workspaceId: 'ws_1' } }), 'pi_sub')]));
    expect(await refundMoneyId(stripeCharge({ paymentIntent: 'pi_sub' }))).toBe('in_sub_paid');
    expect(api.requests[0]).toMatchObject({
      method: 'GET',
      params: { 'payment[type]': 'payment_intent', 'payment[payment_intent]': 'pi_sub', limit: '1', 'expand[0]': 'data.invoice' },
    });
  });

  it("keeps the payment intent for a one-time checkout's invoice and when no invoice was paid", async () => {
    api.on('GET /v1/invoice_payments', listOf([invoicePayment(stripeInvoice({ id: 'in_pack', priceId: TEST_PRICES.credits10, amount: 990 }), 'pi_pack')]));
    expect(await refundMoneyId(stripeCharge({ paymentIntent: 'pi_pack' }))).toBe('pi_pack');
    api.on('GET /v1/invoice_payments', listOf([]));
    expect(await refundMoneyId(stripeCharge({ paymentIntent: 'pi_lonely' }))).toBe('pi_lonely');
  });

  it('fails the delivery (so Stripe retries) when the lookup fails', async () => {
    api.on('GET /v1/invoice_payments', stripeErrorResponse(500, 'Something went wrong on our end.'));
    const error = await rejection(refundMoneyId(stripeCharge({ paymentIntent: 'pi_x' })));
    expect(error).toMatchObject({ kind: 'api', message: expect.stringMatching(/^Could not look up the invoice paid by pi_x: /) });
  });
});

describe('createStripeProcessor', () => {
  it('reads STRIPE_* and the price ids from env and reaches STRIPE_API_URL', async () => {
    api.on('POST /v1/customers', { status: 200, body: { id: 'cus_env', object: 'customer' } });
    const processor = createStripeProcessor({ ...TEST_PLAN_ENV, STRIPE_API_KEY: API_KEY, STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, STRIPE_API_URL: api.url });
    expect(processor.id).toBe('stripe');
    expect(processor.planIds.toProcessor('pro')).toBe(TEST_PRICES.pro);
    expect(await processor.createCustomer!({ workspace: { id: 'ws_env', name: 'Env' }, email: 'e@x.test' })).toBe('cus_env');
    expect(processor.describe!()).toBe(`Stripe API at ${api.url} (test mode)`);
    expect(processor.describe!()).not.toContain(API_KEY);
  });

  it('lets the emulator wiring supply origin, key, secret and seeded price ids', async () => {
    const processor = createStripeProcessor({}, { apiUrl: api.url, apiKey: 'sk_test_emulator', webhookSecret: 'whsec_emulator', planIdDefaults: { hobby: 'price_e_h', pro: 'price_e_p', credits10: 'price_e_c' } });
    expect(processor.planIds.toProcessor('credits10')).toBe('price_e_c');
    const { body, headers } = signStripeDelivery(stripeEvent('customer.subscription.updated', stripeSubscription({ workspaceId: 'ws_e', priceId: 'price_e_p' })), { secret: 'whsec_emulator' });
    expect((await processor.parseWebhook(Buffer.from(body), headers)).events).toMatchObject([{ type: 'subscription.changed', subscription: { planId: 'pro' } }]);
  });
});
