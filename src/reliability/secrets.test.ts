import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../db/client.js';
import { createStripeDriver } from '../payment/stripe/stripeProcessor.js';
import { startFakeStripeApi, stripeErrorResponse, type FakeStripeApi } from '../payment/stripe/testing/fakeStripeApi.js';
import { TEST_PLAN_ENV } from '../payment/stripe/testing/stripeObjects.js';
import { loadProcessorPlanIds } from '../payment/processorPlanIds.js';
import { definePaymentProcessor } from '../payment/webhookHandler.js';
import { paymentSucceeded } from '../test/fakeEvents.js';
import { startTestServer, type TestServer } from '../test/testServer.js';

// No API key, webhook secret, password or session token in console output or error bodies, across a
// run of failures: wrong signatures, a processor refusing a bad key, failed deliveries, bad logins.

const API_KEY = 'sk_test_SECRETKEY_b7f3e9a1c2d4';
const WEBHOOK_SECRET = 'whsec_SECRETWEBHOOK_5e8d2c7a';
const PASSWORD = 'PASSWORD-correct-horse-9d1f';

let api: FakeStripeApi;
let t: TestServer;
const output: string[] = [];
const bodies: string[] = [];
beforeAll(async () => {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void output.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
  }
  api = await startFakeStripeApi();
  const driver = createStripeDriver({ apiKey: API_KEY, webhookSecret: WEBHOOK_SECRET, apiUrl: api.url, automaticTax: false, planIds: loadProcessorPlanIds(TEST_PLAN_ENV), maxNetworkRetries: 0, timeoutMs: 5_000 });
  t = await startTestServer({ processor: definePaymentProcessor(driver) });
});
afterAll(async () => {
  vi.restoreAllMocks();
  await api.close();
});

describe('secrets', () => {
  it('appear in no console output and no error body', async () => {
    const res1 = await fetch(`${t.baseUrl}/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'secret-owner@example.com', password: PASSWORD }) });
    bodies.push(await res1.text());
    const cookie = res1.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const token = cookie.split('=').slice(1).join('=');
    expect(token.length).toBeGreaterThan(10);
    const workspaceId = JSON.parse(bodies[0]!).workspaces[0].id as string;
    const call = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(t.baseUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      bodies.push(await res.text());
      return res.status;
    };
    // Bad logins, with the password and a near miss.
    expect(await call('/auth/login', { email: 'secret-owner@example.com', password: `${PASSWORD}x` })).toBeGreaterThanOrEqual(400);
    expect(await call('/auth/signup', { email: 'secret-owner@example.com', password: PASSWORD })).toBeGreaterThanOrEqual(400);
    // Webhooks: unsigned, wrongly signed, signed with the secret inside a bad header, malformed.
    const delivery = JSON.stringify(paymentSucceeded(workspaceId, { moneyId: 'in_secret', planId: 'credits10' }));
    for (const signature of [undefined, 't=1,v1=deadbeef', `t=${Math.floor(Date.now() / 1000)},v1=${WEBHOOK_SECRET}`, WEBHOOK_SECRET]) {
      const res = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature && { 'stripe-signature': signature }) }, body: delivery });
      bodies.push(await res.text());
      expect(res.status).toBe(400);
    }
    // The processor refuses the key: checkout and portal fail with the processor's error.
    // The processor refuses the key (Stripe's own message shows the key redacted to its last 4).
    for (const route of ['POST /v1/customers', 'POST /v1/checkout/sessions', 'POST /v1/billing_portal/sessions', 'GET /v1/customers/search']) {
      api.on(route, stripeErrorResponse(401, `Invalid API Key provided: sk_test_****${API_KEY.slice(-4)}`, { type: 'invalid_request_error' }));
    }
    const statuses = [await call('/operations/generateCheckoutSession', { workspaceId, planId: 'pro' }, { cookie }), await call('/operations/generateCheckoutSession', { workspaceId, planId: 'credits10' }, { cookie })];
    expect(statuses.every((s) => s >= 400)).toBe(true);
    expect(api.requests.some((r) => String(r.headers.authorization).includes(API_KEY))).toBe(true); // the key really was used
    // Operations with a stale session and with a garbage cookie.
    await call('/operations/getWorkspaceBilling', { workspaceId }, { cookie: `${cookie}x` });
    // A failed delivery (the database refuses an audit write).
    await db().$executeRawUnsafe(`CREATE FUNCTION fail_audit_s() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(`CREATE TRIGGER fail_audit_s BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION fail_audit_s()`);
    try {
      await call('/operations/spendCredits', { workspaceId, amount: 1, reason: 'x' }, { cookie });
      await call('/operations/changePlan', { workspaceId, planId: 'hobby' }, { cookie });
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER fail_audit_s ON "AuditEvent"; DROP FUNCTION fail_audit_s()`);
    }
    await call('/auth/logout', {}, { cookie });

    const everything = [...output, ...bodies].join('\n');
    console.info(`[secrets] checked ${output.length} console lines and ${bodies.length} response bodies`);
    for (const secret of [API_KEY, WEBHOOK_SECRET, PASSWORD, token]) {
      expect(everything.includes(secret), `a secret (${secret.slice(0, 6)}…) leaked`).toBe(false);
    }
    // The secrets' distinctive parts too (a truncated or re-encoded echo).
    for (const part of ['SECRETKEY_b7f3', 'SECRETWEBHOOK', 'correct-horse-9d1f']) expect(everything).not.toContain(part);
  });
});
