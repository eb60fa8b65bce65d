/// <reference types="vite/client" />
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db/client.js';
import { EVENTS_SIGNATURE_HEADER, signEventsPayload } from '../test/eventsWire.js';
import { WebhookPayloadError, WebhookSignatureError } from '../payment/webhookErrors.js';
import { processorIds } from '../payment/processors.js';
import type { WebhookKit } from '../payment/webhookKit.js';
import { operations } from '../server/operations.js';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';

// Bad input, property-based: random webhook bodies, headers and signatures, and random operation
// arguments. FUZZ_RUNS scales every property (default: quick).
const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
export const fuzzCases = { count: 0 };
const params = (numRuns = RUNS) => ({ numRuns, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined });

let t: TestServer;
let owner: TestUser;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  owner = await t.signup('fuzz-owner@example.com');
  siteAdmin = await t.signup('admin@example.com');
});

const rowCounts = async () => ({
  deliveries: await db().webhookDelivery.count(),
  payments: await db().payment.count(),
  ledger: await db().creditLedger.count(),
  audit: await db().auditEvent.count(),
  outbox: await db().emailOutbox.count(),
  workspace: await t.workspace(owner.workspaceId),
});

async function post(body: Uint8Array | string, headers: Record<string, string>) {
  const res = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers, body: typeof body === "string" ? body : Buffer.from(body) });
  fuzzCases.count++;
  return { status: res.status, text: await res.text() };
}

const headerValue = fc.oneof(fc.string(), fc.constant(''), fc.stringMatching(/^[0-9a-f]{64}$/));
const eventLike = (workspaceId: fc.Arbitrary<string>) =>
  fc.record({
    id: fc.oneof(fc.string(), fc.constant(''), fc.integer() as fc.Arbitrary<unknown>),
    type: fc.constantFrom('payment.succeeded', 'payment.failed', 'payment.refunded', 'subscription.changed', 'subscription.ended', 'checkout.completed', ''),
    data: fc.record({
      ref: fc.oneof(fc.record({ workspaceId }), fc.anything()),
      money: fc.oneof(fc.record({ moneyId: fc.string(), amount: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 40)), currency: fc.string({ maxLength: 4 }) }), fc.anything()),
      planId: fc.oneof(fc.constantFrom('pro', 'hobby', 'credits10', 'nope', null), fc.string()),
      paidAt: fc.oneof(fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'x' : d.toISOString())), fc.string(), fc.integer()),
      moneyId: fc.string(),
      amountRefunded: fc.oneof(fc.integer(), fc.double()),
      subscriptionId: fc.string(),
      occurredAt: fc.oneof(fc.date().map((d) => d.toISOString()), fc.string(), fc.integer()),
    }, { requiredKeys: [] }),
  }, { requiredKeys: [] });

describe('fake processor webhook route', () => {
  it('random bodies, headers and signatures: always 4xx, nothing written', async () => {
    const before = await rowCounts();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 2000 }), fc.json().map((j) => new TextEncoder().encode(j)), eventLike(fc.constant(owner.workspaceId)).map((e) => new TextEncoder().encode(JSON.stringify(e)))),
        fc.dictionary(fc.constantFrom('content-type', 'x-fake-signature', 'stripe-signature', 'x-signature', 'x-custom'), headerValue),
        async (body, headers) => {
          const safe = Object.fromEntries(Object.entries(headers).filter(([, v]) => /^[\t\x20-\x7e]*$/.test(v)));
          const res = await post(body, safe);
          expect(res.status, res.text).toBeGreaterThanOrEqual(400);
          expect(res.status, res.text).toBeLessThan(500);
        },
      ),
      params(),
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('correctly signed random bodies: 400 with a message and nothing written, 422 stored as failed, or 2xx; never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string(), fc.json(), eventLike(fc.oneof(fc.constant(owner.workspaceId), fc.string())).map((e) => JSON.stringify(e))),
        async (body) => {
          const before = await rowCounts();
          const res = await post(body, { 'content-type': 'application/json', [EVENTS_SIGNATURE_HEADER]: signEventsPayload(body, t.fake.webhookSecret) });
          expect([200, 400, 422], `${res.status} ${res.text} for ${body}`).toContain(res.status);
          if (res.status >= 400) expect(JSON.parse(res.text).message).toMatch(/\w/);
          if (res.status === 400) expect(await rowCounts()).toEqual(before);
          // Signed but unreadable: kept for an operator (failed, replayable), and nothing else written.
          if (res.status === 422) {
            const stored = await db().webhookDelivery.findFirst({ where: { eventId: JSON.parse(res.text).eventId } });
            expect(stored?.status).toBe('failed');
          }
        },
      ),
      params(),
    );
  });
});

// Every processor folder's testing/webhookKit.ts: a new processor's parsing joins this suite with no edit here.
const kits = Object.values(import.meta.glob<{ webhookKit: WebhookKit }>('../payment/*/testing/webhookKit.ts', { eager: true })).map((module) => module.webhookKit);

it('has a webhook kit for every registered processor', () => {
  expect(kits.map((kit) => kit.id).sort()).toEqual([...processorIds].sort());
});

describe.each(kits)('$id parseWebhook with random bytes and headers', (kit) => {
  const only400 = (error: unknown) => error instanceof WebhookSignatureError || error instanceof WebhookPayloadError;

  it('throws only signature or payload errors (a 400), for unsigned and for signed random bodies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.uint8Array({ maxLength: 1000 }).map((b) => Buffer.from(b)), fc.json().map((j) => Buffer.from(j)), fc.anything().map((a) => Buffer.from(JSON.stringify({ id: 'evt_x', object: 'event', type: 'invoice.paid', created: 1, data: { object: a }, meta: { event_name: 'order_created' } }) ?? ''))),
        fc.dictionary(fc.constantFrom(...kit.headerNames), fc.oneof(fc.string(), fc.array(fc.string(), { maxLength: 2 }))),
        fc.boolean(),
        async (body, headers, sign) => {
          fuzzCases.count += 1;
          try {
            await kit.parse(body, sign ? { ...headers, ...kit.sign(body) } : headers);
          } catch (error) {
            if (!only400(error)) throw error;
          }
        },
      ),
      params(RUNS * 3),
    );
  });
});

describe('operation arguments', () => {
  const field = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constantFrom('pro', 'hobby', 'credits10', 'owner', 'member', 'admin', 'payment.*'), fc.emailAddress());
  for (const name of Object.keys(operations)) {
    it(`${name}: random arguments as an owner answer 4xx or 2xx, never 500`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.anything(),
            fc.record(
              { workspaceId: fc.oneof(fc.constant(owner.workspaceId), fc.string()), planId: field, amount: field, reason: field, atPeriodEnd: field, cursor: field, limit: field, name: field, email: field, role: field, action: field, actorId: field, from: field, to: field },
              { requiredKeys: [] },
            ),
          ),
          async (args) => {
            const body = JSON.stringify(args) ?? 'null';
            const res = await fetch(`${t.baseUrl}/operations/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: owner.cookie }, body });
            fuzzCases.count++;
            const text = await res.text();
            // 501 is the documented answer of a processor without that capability (the fake has no in-app cancel/resume).
            const documented501 = res.status === 501 && JSON.parse(text).useCustomerPortal === true;
            if (!documented501) expect(res.status, `${name}(${body}) answered ${res.status} ${text}`).toBeLessThan(500);
            if (res.status >= 400) expect(JSON.parse(text).message).toMatch(/\w/);
          },
        ),
        params(Math.ceil(RUNS / 2)),
      );
    });
  }

});

describe('operation arguments PostgreSQL cannot store: NUL, lone surrogates, extreme dates', () => {
  // A valid string with a NUL or a lone surrogate put somewhere inside it.
  const withInvalid = (bad: string) => fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}${bad}${b}`);
  const unstorable = fc.oneof(withInvalid('\u0000'), withInvalid('\ud800'), withInvalid('\udfff'), fc.constant('\u0000'));
  // Dates JavaScript holds but PostgreSQL's timestamp (or years 1..9999) does not, as strings and epoch ms.
  const extremeDate = fc.oneof(
    fc.constantFrom('-100000-01-01', '+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '0000-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z', 8.64e15, -8.64e15),
    fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }).map((d) => d.toISOString()),
  );
  // A keyset cursor as the server encodes one, with an extreme date or an unstorable id.
  const cursor = fc.oneof(
    fc.tuple(extremeDate, fc.uuid()).map(([d, id]) => `${typeof d === 'number' ? new Date(d).toISOString() : d}|${id}`),
    fc.tuple(fc.date({ noInvalidDate: true }), unstorable).map(([d, id]) => `${d.toISOString()}|${id}`),
  ).map((raw) => Buffer.from(raw).toString('base64url'));
  const field = fc.oneof(unstorable, extremeDate, cursor);
  const args = fc.record(
    { workspaceId: fc.oneof(fc.constant(''), unstorable), planId: field, amount: fc.constant(1), reason: field, atPeriodEnd: fc.boolean(), cursor, limit: fc.constant(5), name: unstorable, email: unstorable, role: fc.constantFrom('member', 'admin'), action: field, actorId: field, from: extremeDate, to: extremeDate, paymentId: unstorable, deliveryId: unstorable },
    { requiredKeys: [] },
  );
  for (const name of Object.keys(operations)) {
    it(`${name}: as an owner and as a site admin, a 4xx naming the field or a 2xx, never 500, nothing changed`, async () => {
      await fc.assert(
        fc.asyncProperty(args, fc.constantFrom(owner, siteAdmin), async (rawArgs, user) => {
          // '' stands for the owner's own workspace (known only once signed up), so role checks pass and the rest reaches the database.
          const body = JSON.stringify({ ...rawArgs, ...(rawArgs.workspaceId === '' && { workspaceId: owner.workspaceId }) });
          const before = await rowCounts();
          const res = await fetch(`${t.baseUrl}/operations/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: user.cookie }, body });
          fuzzCases.count++;
          const text = await res.text();
          const documented501 = res.status === 501 && JSON.parse(text).useCustomerPortal === true;
          if (!documented501) expect(res.status, `${name}(${body}) answered ${res.status} ${text}`).toBeLessThan(500);
          if (res.status === 400) expect(JSON.parse(text).message).toMatch(/Invalid arguments: \S+: /);
          expect(await rowCounts()).toEqual(before);
        }),
        params(Math.ceil(RUNS / 2)),
      );
    });
  }

  it(`fuzz cases run (printed for docs/RELIABILITY.md)`, () => {
    console.log(`[fuzz] ${fuzzCases.count} cases`);
    expect(fuzzCases.count).toBeGreaterThan(0);
  });
});
