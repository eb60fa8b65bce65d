import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../db/client.js';
import { startEmulatedLemonSqueezy, type EmulatedLemonSqueezyDriver } from '../payment/lemonSqueezy/lemonSqueezyEmulatorMode.js';
import { startEmulatedStripe, type EmulatedStripeDriver } from '../payment/stripe/stripeEmulatorMode.js';
import type { TestServer, TestUser } from '../test/testServer.js';
import { startEmulatedApp, type Fault, type FaultControls } from './processorFaults.js';

// Processor faults during generateCheckoutSession, injected at the processor's local emulator
// (src/emulators/shared/faults.ts): the real SDK meets a real 5xx, 429, reset socket or slow answer,
// before the request runs or after it created the object. Asserted: the user's error (status, kind,
// words, nothing of the processor's body, no secret), one idempotency key across the SDK's retries and
// the user's retry click, one customer and one session at the processor, nothing half-written here.

const TIMEOUT_MS = 3_000; // short, but not so short that a loaded machine times out a healthy call
const SLOW_MS = 7_000; // longer than the driver waits for an answer

interface Case {
  name: string;
  fault: Fault;
  /** The user's first click: 200, or the error's status and processorError kind. */
  first: 200 | { status: number; kind: string };
  /** Requests the processor sees for the faulted route: the SDK's attempts, then the retry click's. */
  requests: number;
}

/** The user's retry click, a minute after the first (with Stripe's 20 s timeout, three attempts take that long). */
async function aMinuteLater<T>(click: () => Promise<T>): Promise<T> {
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
  try {
    return await click();
  } finally {
    vi.useRealTimers();
  }
}

let t: TestServer;
const checkout = (user: TestUser, planId = 'pro') => t.call('generateCheckoutSession', { workspaceId: user.workspaceId, planId }, user);
const newOwner = () => t.signup(`faults-${randomUUID().slice(0, 8)}@example.com`);

/** The owner's workspace as we store it: after a failed checkout a customer id at most (kept: reused next time). */
async function ourRows({ workspaceId, email }: TestUser) {
  const w = await t.workspace(workspaceId);
  return {
    customerId: w.processorCustomerId,
    plan: w.subscriptionPlan,
    status: w.subscriptionStatus,
    credits: w.credits,
    checkoutsAudited: await db().auditEvent.count({ where: { workspaceId, action: 'checkout.created' } }),
    payments: await db().payment.count({ where: { workspaceId } }),
    outbox: await db().emailOutbox.count({ where: { recipient: email } }),
  };
}

function expectClearError(body: { message?: string; processorError?: string }, kind: string, processor: string) {
  console.info(`[checkout-faults] ${kind}: ${body.message}`);
  expect(Object.keys(body).sort()).toEqual(['message', 'processorError']);
  expect(body.processorError).toBe(kind);
  expect(body.message).toMatch(new RegExp(`^${processor}: Could not create the [\\w ]+: \\w`));
  for (const leak of ['fault_trace', '{', '"', 'sk_test', 'ls_local', 'Bearer']) expect(body.message).not.toContain(leak);
}

describe('Stripe: faults during checkout', () => {
  let stripe: EmulatedStripeDriver;
  let faults: FaultControls;
  beforeAll(async () => {
    ({ t, driver: stripe, faults } = await startEmulatedApp(startEmulatedStripe, { timeoutMs: TIMEOUT_MS }));
  });

  const cases: Case[] = [
    { name: 'a 500 once: the SDK retries', fault: { kind: 'status', status: 500 }, first: 200, requests: 2 },
    { name: 'a 503 on every attempt', fault: { kind: 'status', status: 503, times: 3 }, first: { status: 502, kind: 'api' }, requests: 4 },
    { name: 'a 429 (the SDK does not retry it)', fault: { kind: 'status', status: 429 }, first: { status: 503, kind: 'rate_limit' }, requests: 2 },
    { name: 'created, answer lost to a reset once: the retry gets the saved answer', fault: { kind: 'reset', when: 'after' }, first: 200, requests: 2 },
    { name: 'created, every answer lost to a reset', fault: { kind: 'reset', when: 'after', times: 3 }, first: { status: 503, kind: 'connection' }, requests: 4 },
    { name: 'created, every answer too late (timeouts)', fault: { kind: 'slow', ms: SLOW_MS, when: 'after', times: 3 }, first: { status: 503, kind: 'connection' }, requests: 4 },
    { name: 'held up before it runs: the SDK retries meanwhile', fault: { kind: 'slow', ms: SLOW_MS }, first: 200, requests: 2 },
  ];
  const routes = ['POST /v1/customers', 'POST /v1/checkout/sessions'];

  /** The workspace's customers and the sessions created at the emulator (by the SDK's API, not our rows). */
  async function atStripe(workspaceId: string) {
    const created = await stripe.stripe.events.list({ type: 'customer.created', limit: 100 });
    const customers = created.data.map((e) => e.data.object as Stripe.Customer).filter((c) => c.metadata.workspaceId === workspaceId);
    const sessionIds = (await faults.requests('POST /v1/checkout/sessions')).flatMap((r) => (r.objectId ? [r.objectId] : []));
    const sessions = await Promise.all(sessionIds.map((id) => stripe.stripe.checkout.sessions.retrieve(id)));
    return { customers: customers.map((c) => c.id), sessions: sessions.filter((s) => s.client_reference_id === workspaceId).map((s) => s.id) };
  }

  describe.each(routes)('%s', (route) => {
    it.each(cases)('$name', async ({ fault, first, requests }) => {
      const owner = await newOwner();
      await faults.clear();
      await faults.inject(route, fault);

      let res = await checkout(owner);
      if (first !== 200) {
        expect(res.status, JSON.stringify(res.body)).toBe(first.status);
        expectClearError(res.body, first.kind, 'stripe');
        const { customers } = await atStripe(owner.workspaceId);
        // Nothing half-written: no session audited, no state; a customer id only once Stripe's answer arrived.
        expect(await ourRows(owner)).toEqual({
          customerId: route === 'POST /v1/customers' ? null : customers[0],
          plan: null,
          status: null,
          credits: 0,
          checkoutsAudited: 0,
          payments: 0,
          outbox: 0,
        });
        res = await aMinuteLater(() => checkout(owner));
      }
      expect(res.status, JSON.stringify(res.body)).toBe(200);

      const seen = await faults.requests(route);
      expect(seen).toHaveLength(requests);
      expect(seen.filter((r) => r.fault).length).toBe(fault.times ?? 1); // the fault really hit, as often as set
      expect(seen.at(-1)!.answered).toBe(200);
      expect(seen[0]!.idempotencyKey).toMatch(/\w{8}/);
      expect(new Set(seen.map((r) => r.idempotencyKey))).toEqual(new Set([seen[0]!.idempotencyKey])); // SDK retries and the click: one key
      const { customers, sessions } = await atStripe(owner.workspaceId);
      expect(customers).toEqual([(await t.workspace(owner.workspaceId)).processorCustomerId]);
      expect(sessions).toEqual([res.body.sessionId]);

      // The session the user got is the workspace's: paying it subscribes the workspace, once.
      await stripe.emulator.completeCheckout(res.body.sessionId);
      await stripe.emulator.idle();
      expect(await ourRows(owner)).toMatchObject({ plan: 'pro', status: 'active', checkoutsAudited: 1, payments: 1 });
    });
  });

  it('a double click (two requests at once) is one customer and one session', async () => {
    const owner = await newOwner();
    await faults.clear();
    const [a, b] = await Promise.all([checkout(owner, 'credits10'), checkout(owner, 'credits10')]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.sessionId).toBe(b.body.sessionId);
    expect(await atStripe(owner.workspaceId)).toEqual({ customers: [expect.any(String)], sessions: [a.body.sessionId] });
  });

  it("another owner's click after the customer's answer was lost gets that customer, not an error", async () => {
    const owner = await newOwner();
    const second = await newOwner();
    await t.addMember(owner, second, 'owner');
    await faults.clear();
    await faults.inject('POST /v1/customers', { kind: 'reset', when: 'after', times: 3 });
    expect((await checkout(owner)).status).toBe(503);
    const res = await checkout({ ...second, workspaceId: owner.workspaceId });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(await atStripe(owner.workspaceId)).toEqual({ customers: [(await t.workspace(owner.workspaceId)).processorCustomerId], sessions: [res.body.sessionId] });
  });
});

describe('Lemon Squeezy: faults during checkout', () => {
  let ls: EmulatedLemonSqueezyDriver;
  let faults: FaultControls;
  beforeAll(async () => {
    ({ t, driver: ls, faults } = await startEmulatedApp(startEmulatedLemonSqueezy, { timeoutMs: TIMEOUT_MS }));
  });

  // No SDK retries and no idempotency keys: every failure reaches the user, and an answer lost after
  // Lemon Squeezy created the checkout leaves that checkout orphaned (`created: 2`).
  const cases: { name: string; fault: Fault; first: { status: number; kind: string }; created: number }[] = [
    { name: 'a 500', fault: { kind: 'status', status: 500 }, first: { status: 502, kind: 'api' }, created: 1 },
    { name: 'a 429', fault: { kind: 'status', status: 429 }, first: { status: 503, kind: 'rate_limit' }, created: 1 },
    { name: 'the connection reset before it runs', fault: { kind: 'reset' }, first: { status: 503, kind: 'connection' }, created: 1 },
    { name: 'created, answer lost to a reset', fault: { kind: 'reset', when: 'after' }, first: { status: 503, kind: 'connection' }, created: 2 },
    { name: 'created, answer too late (timeout)', fault: { kind: 'slow', ms: SLOW_MS, when: 'after' }, first: { status: 503, kind: 'connection' }, created: 2 },
  ];

  it.each(cases)('$name', async ({ fault, first, created }) => {
    const owner = await newOwner();
    await faults.clear();
    await faults.inject('POST /v1/checkouts', fault);

    const failed = await checkout(owner);
    expect(failed.status, JSON.stringify(failed.body)).toBe(first.status);
    expectClearError(failed.body, first.kind, 'lemonsqueezy');
    expect(await ourRows(owner)).toEqual({ customerId: null, plan: null, status: null, credits: 0, checkoutsAudited: 0, payments: 0, outbox: 0 });

    const res = await aMinuteLater(() => checkout(owner));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const seen = await faults.requests('POST /v1/checkouts');
    expect(seen.map((r) => [r.idempotencyKey, Boolean(r.fault)])).toEqual([[null, true], [null, false]]); // no key: Lemon Squeezy takes none
    expect(seen[1]!.answered).toBe(201);
    const checkouts = seen.flatMap((r) => (r.objectId ? [r.objectId] : []));
    expect(checkouts).toHaveLength(created);
    expect(checkouts.at(-1)).toBe(res.body.sessionId); // the orphan (if any) was never shown to anyone

    await ls.emulator.completeCheckout(res.body.sessionId);
    await ls.emulator.idle();
    expect(await ourRows(owner)).toMatchObject({ plan: 'pro', status: 'active', checkoutsAudited: 1, payments: 1 });
  });
});
