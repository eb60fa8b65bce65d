import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProcessorError, type CheckoutRequest } from '../paymentProcessor.js';
import { plans } from '../plans.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { apiOriginRedirectTarget, installApiOriginRedirect, LEMON_SQUEEZY_API_ORIGIN } from './apiOrigin.js';
import type { LemonSqueezySettings } from './lemonSqueezyConfig.js';
import { createLemonSqueezyDriver, createLemonSqueezyProcessor } from './lemonSqueezyProcessor.js';
import { lemonSqueezyErrorResponse, startFakeLemonSqueezyApi, type FakeLemonSqueezyApi } from './testing/fakeLemonSqueezyApi.js';
import { lsSubscription, lsTime, lsWebhook, signLemonSqueezyDelivery, TEST_PLAN_ENV, TEST_STORE_ID, TEST_VARIANTS, TEST_WEBHOOK_SECRET } from './testing/lemonSqueezyPayloads.js';

// The real SDK (@lemonsqueezy/lemonsqueezy.js) against a tiny local server, reached through the
// apiOrigin.ts redirect of https://api.lemonsqueezy.com.

const API_KEY = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiIxIiwianRpIjoibHMtdGVzdCJ9.c2lnbmF0dXJlLW9mLXRoZS1rZXk';
const planIds = loadProcessorPlanIds(TEST_PLAN_ENV);

let api: FakeLemonSqueezyApi;
beforeAll(async () => {
  api = await startFakeLemonSqueezyApi();
});
afterAll(() => api.close());
beforeEach(() => api.reset());

function driver(overrides: Partial<LemonSqueezySettings> = {}) {
  return createLemonSqueezyDriver({ apiKey: API_KEY, storeId: TEST_STORE_ID, webhookSecret: TEST_WEBHOOK_SECRET, apiUrl: api.url, planIds, timeoutMs: 5_000, ...overrides });
}

function checkoutRequest(o: Partial<CheckoutRequest> = {}): CheckoutRequest {
  return {
    workspace: { id: 'ws_123', name: 'Acme' },
    customerId: null,
    customerEmail: 'owner@acme.test',
    plan: plans.pro,
    processorPlanId: TEST_VARIANTS.pro,
    successUrl: 'http://localhost:3001/checkout?status=success&workspaceId=ws_123',
    cancelUrl: 'http://localhost:3001/checkout?status=canceled&workspaceId=ws_123',
    idempotencyKey: 'idem-checkout-1',
    trialDays: null,
    ...o,
  };
}

const checkoutReply = (o: { id?: string; url?: string | null } = {}) => ({
  status: 201,
  body: {
    jsonapi: { version: '1.0' },
    links: { self: `https://api.lemonsqueezy.com/v1/checkouts/${o.id ?? 'chk_1'}` },
    data: {
      type: 'checkouts',
      id: o.id ?? '5e8b546c-c561-4a2c-a586-40c18bb2a195',
      attributes: { store_id: Number(TEST_STORE_ID), url: o.url === undefined ? 'https://acme.lemonsqueezy.com/checkout/custom/5e8b546c?signature=abc' : o.url },
    },
  },
});

const customerReply = (portal: string | null) => ({
  status: 200,
  body: { jsonapi: { version: '1.0' }, data: { type: 'customers', id: '4401', attributes: { store_id: Number(TEST_STORE_ID), name: 'Ada', email: 'owner@acme.test', urls: { customer_portal: portal } } } },
});

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

async function closedPort(): Promise<number> {
  return new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

describe('createCheckoutSession', () => {
  it('creates a checkout for the plan’s variant in our store, carrying our ids as custom data', async () => {
    api.on('POST /v1/checkouts', checkoutReply());
    const session = await driver().createCheckoutSession(checkoutRequest());
    expect(session).toEqual({ sessionId: '5e8b546c-c561-4a2c-a586-40c18bb2a195', sessionUrl: 'https://acme.lemonsqueezy.com/checkout/custom/5e8b546c?signature=abc' });
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/checkouts' });
    expect(request!.headers).toMatchObject({ authorization: `Bearer ${API_KEY}`, accept: 'application/vnd.api+json', 'content-type': 'application/vnd.api+json' });
    expect(request!.body).toEqual({
      data: {
        type: 'checkouts',
        attributes: {
          product_options: { redirect_url: 'http://localhost:3001/checkout?status=success&workspaceId=ws_123', enabled_variants: [Number(TEST_VARIANTS.pro)] },
          // No trial offered: the variant's own trial (if any) is skipped.
          checkout_options: { embed: false, skip_trial: true },
          checkout_data: { email: 'owner@acme.test', custom: { workspace_id: 'ws_123', plan_id: 'pro' } },
        },
        relationships: {
          store: { data: { type: 'stores', id: TEST_STORE_ID } },
          variant: { data: { type: 'variants', id: TEST_VARIANTS.pro } },
        },
      },
    });
    // Lemon Squeezy has no idempotency keys: none is sent.
    expect(Object.keys(request!.headers)).not.toContain('idempotency-key');
  });

  it('leaves a trial the core offers to the variant (Lemon Squeezy configures trials there): no skip_trial', async () => {
    api.on('POST /v1/checkouts', checkoutReply());
    await driver().createCheckoutSession(checkoutRequest({ plan: plans.hobby, processorPlanId: TEST_VARIANTS.hobby, trialDays: 14 }));
    expect(api.requests[0]!.body).toMatchObject({ data: { attributes: { checkout_options: { embed: false } } } });
    expect((api.requests[0]!.body as { data: { attributes: { checkout_options: object } } }).data.attributes.checkout_options).not.toHaveProperty('skip_trial');
  });

  it('creates a credit pack checkout with the pack’s variant', async () => {
    api.on('POST /v1/checkouts', checkoutReply({ id: 'chk_pack' }));
    await driver().createCheckoutSession(checkoutRequest({ plan: plans.credits10, processorPlanId: TEST_VARIANTS.credits10 }));
    expect(api.requests[0]!.body).toMatchObject({
      data: {
        attributes: { checkout_data: { custom: { workspace_id: 'ws_123', plan_id: 'credits10' } } },
        relationships: { variant: { data: { type: 'variants', id: TEST_VARIANTS.credits10 } } },
      },
    });
  });

  it('refuses a variant that is not the plan’s before calling Lemon Squeezy', async () => {
    const error = await rejection(driver().createCheckoutSession(checkoutRequest({ processorPlanId: TEST_VARIANTS.hobby })));
    expect(error).toMatchObject({ name: 'ProcessorError', kind: 'invalid_request' });
    expect(error.message).toMatch(/variant 501 is not the variant of plan "pro"/);
    expect(api.requests).toEqual([]);
  });

  it('reports a checkout without a URL as an API failure', async () => {
    api.on('POST /v1/checkouts', checkoutReply({ id: 'chk_no_url', url: null }));
    const error = await rejection(driver().createCheckoutSession(checkoutRequest()));
    expect(error).toBeInstanceOf(ProcessorError);
    expect(error).toMatchObject({ kind: 'api', message: 'Could not create the checkout: Lemon Squeezy returned checkout chk_no_url without a URL' });
  });
});

describe('fetchCustomerPortalUrl', () => {
  it('reads the signed portal URL from the customer, fresh on every call', async () => {
    let served = 0;
    api.on('GET /v1/customers/4401', () => customerReply(`https://acme.lemonsqueezy.com/billing?expires=${1_800_000_000 + ++served}&signature=s${served}`));
    const d = driver();
    const first = await d.fetchCustomerPortalUrl({ customerId: '4401', returnUrl: 'http://localhost:3001/account' });
    const second = await d.fetchCustomerPortalUrl({ customerId: '4401', returnUrl: 'http://localhost:3001/account' });
    expect(first).toBe('https://acme.lemonsqueezy.com/billing?expires=1800000001&signature=s1');
    expect(second).toBe('https://acme.lemonsqueezy.com/billing?expires=1800000002&signature=s2');
    expect(api.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/customers/4401', 'GET /v1/customers/4401']);
  });

  it('reports a customer without a portal (no subscription) as an API failure', async () => {
    api.on('GET /v1/customers/4402', customerReply(null));
    expect(await rejection(driver().fetchCustomerPortalUrl({ customerId: '4402', returnUrl: 'http://x.test' }))).toMatchObject({
      kind: 'api',
      message: expect.stringMatching(/^Could not open the customer portal: Lemon Squeezy has no customer portal URL for customer 4402/),
    });
  });

  it('reports an unknown customer as an invalid request', async () => {
    expect(await rejection(driver().fetchCustomerPortalUrl({ customerId: '4403', returnUrl: 'http://x.test' }))).toMatchObject({
      kind: 'invalid_request',
      message: 'Could not open the customer portal: Lemon Squeezy answered 404: The requested resource could not be found.',
    });
  });
});

describe('fetchSubscription', () => {
  it('maps the subscription Lemon Squeezy holds now, stamped with the current time', async () => {
    const subscription = lsSubscription({ id: '6100', variantId: TEST_VARIANTS.hobby, status: 'past_due', renewsAt: lsTime(3 * 86_400) });
    api.on('GET /v1/subscriptions/6100', { status: 200, body: { jsonapi: { version: '1.0' }, data: subscription } });
    const before = Date.now();
    const snapshot = await driver().fetchSubscription('6100');
    expect(snapshot).toMatchObject({ subscriptionId: '6100', planId: 'hobby', status: 'past_due', cancelAtPeriodEnd: false, currentPeriodEnd: new Date(lsTime(3 * 86_400)), trialEnd: null });
    expect(snapshot!.occurredAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('answers null for a subscription Lemon Squeezy does not have, and reports other failures', async () => {
    expect(await driver().fetchSubscription('6101')).toBeNull();
    api.on('GET /v1/subscriptions/6102', lemonSqueezyErrorResponse(500, 'Server Error'));
    expect(await rejection(driver().fetchSubscription('6102'))).toMatchObject({ kind: 'api', message: expect.stringMatching(/^Could not fetch subscription 6102: /) });
    api.on('GET /v1/subscriptions/6103', { status: 200, body: { data: lsSubscription({ id: '6103', variantId: '999' }) } });
    expect(await rejection(driver().fetchSubscription('6103'))).toMatchObject({ kind: 'api', message: expect.stringMatching(/variant 999 is not one of our plans/) });
  });
});

describe('subscription changes', () => {
  const reply = (id: string) => ({ status: 200, body: { jsonapi: { version: '1.0' }, data: lsSubscription({ id }) } });

  it('changes the variant, cancels (DELETE: the grace period) and resumes (cancelled: false) through the SDK', async () => {
    api.on('PATCH /v1/subscriptions/6200', reply('6200'));
    api.on('DELETE /v1/subscriptions/6200', reply('6200'));
    await driver().changeSubscriptionPlan!('6200', TEST_VARIANTS.pro, { prorate: true });
    await driver().changeSubscriptionPlan!('6200', TEST_VARIANTS.hobby, { prorate: false });
    await driver().cancelSubscription!('6200', { atPeriodEnd: true });
    await driver().resumeSubscription!('6200');
    expect(api.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['PATCH', '/v1/subscriptions/6200', { data: { type: 'subscriptions', id: '6200', attributes: { variant_id: Number(TEST_VARIANTS.pro) } } }],
      ['PATCH', '/v1/subscriptions/6200', { data: { type: 'subscriptions', id: '6200', attributes: { variant_id: Number(TEST_VARIANTS.hobby), disable_prorations: true } } }],
      ['DELETE', '/v1/subscriptions/6200', null],
      ['PATCH', '/v1/subscriptions/6200', { data: { type: 'subscriptions', id: '6200', attributes: { cancelled: false } } }],
    ]);
  });

  it('refuses to cancel now (Lemon Squeezy cannot) as unsupported, without calling it', async () => {
    const error = await rejection(driver().cancelSubscription!('6201', { atPeriodEnd: false }));
    expect(error).toMatchObject({ name: 'ProcessorError', kind: 'unsupported', message: expect.stringMatching(/^Could not cancel subscription 6201 now: Lemon Squeezy can only cancel at the end of the paid period/) });
    expect(api.requests).toEqual([]);
  });

  it('reports Lemon Squeezy’s refusals as ProcessorErrors saying what failed', async () => {
    api.on('PATCH /v1/subscriptions/6202', lemonSqueezyErrorResponse(422, 'This subscription has expired and can no longer be changed.', '/data/id'));
    expect(await rejection(driver().changeSubscriptionPlan!('6202', TEST_VARIANTS.pro, { prorate: true }))).toMatchObject({
      kind: 'invalid_request',
      message: 'Could not change the plan of subscription 6202: Lemon Squeezy answered 422: This subscription has expired and can no longer be changed. (/data/id)',
    });
    expect(await rejection(driver().cancelSubscription!('6203', { atPeriodEnd: true }))).toMatchObject({ kind: 'invalid_request', message: expect.stringMatching(/^Could not cancel subscription 6203: Lemon Squeezy answered 404/) });
    expect(await rejection(driver().changeSubscriptionPlan!('6204', 'price_x', { prorate: true }))).toMatchObject({ kind: 'invalid_request', message: expect.stringMatching(/variant id "price_x" is not a number/) });
  });
});

describe('errors', () => {
  const cases = [
    { status: 400, kind: 'invalid_request', expected: /^Could not create the checkout: Lemon Squeezy answered 400: / },
    { status: 401, kind: 'authentication', expected: 'Could not create the checkout: Lemon Squeezy rejected the API key (check LEMONSQUEEZY_API_KEY)' },
    { status: 403, kind: 'authentication', expected: /^Could not create the checkout: the API key may not do this/ },
    { status: 404, kind: 'invalid_request', expected: /^Could not create the checkout: Lemon Squeezy answered 404: / },
    { status: 422, kind: 'invalid_request', expected: /^Could not create the checkout: Lemon Squeezy answered 422: The variant must be published\. \(\/data\/relationships\/variant\)/ },
    { status: 429, kind: 'rate_limit', expected: /^Could not create the checkout: Lemon Squeezy answered 429: / },
    { status: 500, kind: 'api', expected: /^Could not create the checkout: Lemon Squeezy answered 500: / },
    { status: 503, kind: 'api', expected: /^Could not create the checkout: Lemon Squeezy answered 503: / },
  ] as const;

  it.each(cases)('maps HTTP $status to a ProcessorError of kind $kind, without the key', async ({ status, kind, expected }) => {
    // The detail echoes the key and its Authorization header, the worst a server could do.
    const detail = status === 422 ? 'The variant must be published.' : `Token ${API_KEY} rejected (Authorization: Bearer ${API_KEY})`;
    api.on('POST /v1/checkouts', lemonSqueezyErrorResponse(status, detail, status === 422 ? '/data/relationships/variant' : undefined));
    const error = await rejection(driver().createCheckoutSession(checkoutRequest()));
    expect(error).toBeInstanceOf(ProcessorError);
    expect((error as ProcessorError).kind).toBe(kind);
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain(API_KEY);
    expect(error.message).not.toContain(API_KEY.split('.')[2]!);
  });

  it('maps a body that is not JSON (a proxy’s error page) to an API failure', async () => {
    api.on('POST /v1/checkouts', { status: 502, body: '<html>Bad Gateway</html>' });
    expect(await rejection(driver().createCheckoutSession(checkoutRequest()))).toMatchObject({
      kind: 'api',
      message: 'Could not create the checkout: Lemon Squeezy answered with a body that is not JSON',
    });
  });

  it('maps an unreachable API to a connection error', async () => {
    const error = await rejection(driver({ apiUrl: `http://127.0.0.1:${await closedPort()}` }).createCheckoutSession(checkoutRequest()));
    expect(error).toMatchObject({ name: 'ProcessorError', kind: 'connection', message: 'Could not create the checkout: could not reach Lemon Squeezy (ECONNREFUSED)' });
  });

  it('gives up on a Lemon Squeezy that does not answer in time', async () => {
    api.on('GET /v1/customers/4404', { ...customerReply('https://late.test'), delayMs: 400 });
    const error = await rejection(driver({ timeoutMs: 100 }).fetchCustomerPortalUrl({ customerId: '4404', returnUrl: 'http://x.test' }));
    expect(error).toMatchObject({ kind: 'connection', message: 'Could not open the customer portal: Lemon Squeezy did not answer within 0.1 s' });
  });

  it('maps an empty id the SDK refuses itself to an invalid request', async () => {
    expect(await rejection(driver().fetchCustomerPortalUrl({ customerId: '', returnUrl: 'http://x.test' }))).toMatchObject({
      kind: 'invalid_request',
      message: 'Could not open the customer portal: Please provide the required parameter: customerId.',
    });
    expect(api.requests).toEqual([]);
  });
});

describe('the api.lemonsqueezy.com redirect', () => {
  it('sends only Lemon Squeezy’s origin to apiUrl, keeping path and query, for strings, URLs and Requests', async () => {
    driver();
    api.on('GET /v1/users/me', { status: 200, body: { ok: true } });
    await fetch(`${LEMON_SQUEEZY_API_ORIGIN}/v1/users/me?include=stores`);
    await fetch(new URL(`${LEMON_SQUEEZY_API_ORIGIN}/v1/users/me`));
    await fetch(new Request(`${LEMON_SQUEEZY_API_ORIGIN}/v1/users/me`, { headers: { 'x-probe': 'request' } }));
    expect(api.requests.map((r) => [r.path, r.query])).toEqual([
      ['/v1/users/me', { include: 'stores' }],
      ['/v1/users/me', {}],
      ['/v1/users/me', {}],
    ]);
    expect(api.requests[2]!.headers['x-probe']).toBe('request');
  });

  it('passes every other request through untouched', async () => {
    driver();
    const other = await startFakeLemonSqueezyApi();
    try {
      other.on('POST /elsewhere', { status: 200, body: { ok: true } });
      const res = await fetch(`${other.url}/elsewhere?q=1`, { method: 'POST', body: JSON.stringify({ hello: 'world' }) });
      expect(res.status).toBe(200);
      expect(other.requests).toMatchObject([{ method: 'POST', path: '/elsewhere', query: { q: '1' }, body: { hello: 'world' } }]);
      expect(api.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('is installed once: another driver moves the target instead of wrapping fetch again', async () => {
    driver();
    const wrapped = globalThis.fetch;
    installApiOriginRedirect(api.url);
    driver({ apiUrl: 'http://127.0.0.1:9' });
    expect(globalThis.fetch).toBe(wrapped);
    expect(apiOriginRedirectTarget()).toBe('http://127.0.0.1:9');
    driver();
    expect(apiOriginRedirectTarget()).toBe(api.url);
  });
});

describe('createLemonSqueezyProcessor', () => {
  it('reads LEMONSQUEEZY_* and the variant ids from env; the wiring supplies the origin', async () => {
    api.on('POST /v1/checkouts', checkoutReply({ id: 'chk_env' }));
    const processor = createLemonSqueezyProcessor(
      { ...TEST_PLAN_ENV, LEMONSQUEEZY_API_KEY: API_KEY, LEMONSQUEEZY_STORE_ID: '8123', LEMONSQUEEZY_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET },
      { apiUrl: api.url },
    );
    expect(processor.id).toBe('lemonsqueezy');
    expect(processor).not.toHaveProperty('createCustomer');
    expect(processor.planIds.toProcessor('pro')).toBe(TEST_VARIANTS.pro);
    expect((await processor.createCheckoutSession(checkoutRequest())).sessionId).toBe('chk_env');
    expect(api.requests[0]!.body).toMatchObject({ data: { relationships: { store: { data: { id: '8123' } } } } });
    expect(processor.describe!()).toBe(`Lemon Squeezy API at ${api.url} (store 8123)`);
    expect(processor.describe!()).not.toContain(API_KEY);
  });

  it('lets the emulator wiring supply key, store, secret and seeded variant ids', async () => {
    const processor = createLemonSqueezyProcessor({}, { apiUrl: api.url, apiKey: 'emulator-key', storeId: '1', webhookSecret: 'emulator_secret', planIdDefaults: { hobby: '11', pro: '12', credits10: '13' } });
    expect(processor.planIds.toProcessor('credits10')).toBe('13');
    const webhook = lsWebhook('subscription_updated', lsSubscription({ variantId: '12' }), { workspaceId: 'ws_e' });
    const { body, headers } = signLemonSqueezyDelivery(webhook, { secret: 'emulator_secret' });
    expect((await processor.parseWebhook(Buffer.from(body), headers)).events).toMatchObject([{ type: 'subscription.changed', subscription: { planId: 'pro' } }]);
    api.on('GET /v1/customers/4401', customerReply('https://emulated.test/billing'));
    await processor.fetchCustomerPortalUrl({ customerId: '4401', returnUrl: 'http://x.test' });
    expect(api.requests.at(-1)!.headers.authorization).toBe('Bearer emulator-key');
  });
});
