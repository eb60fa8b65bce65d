/// <reference types="vite/client" />
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../db/client.js';
import { CHECKOUT_FAULT_TIMEOUT_MS, type CheckoutFaultContext, type CheckoutFaultKit } from '../payment/checkoutFaultKit.js';
import type { TestServer, TestUser } from '../test/testServer.js';
import { startEmulatedApp } from './processorFaults.js';

// Processor faults during generateCheckoutSession, injected at the processor's local emulator
// (src/emulators/shared/faults.ts): the real SDK meets a real 5xx, 429, reset socket or slow answer,
// before the request runs or after it created the object. Asserted: the user's error (status, kind,
// words, nothing of the processor's body, no secret), nothing half-written here, the retry click, and
// what the processor's kit (its testing/checkoutFaultKit.ts) says it must have seen and holds: for
// one with idempotency keys one key across the SDK's retries and the click, one customer and one session.

/** The user's retry click, a minute after the first (the SDK's attempts, each up to a 20 s timeout, take that long). */
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

// Every processor folder's testing/checkoutFaultKit.ts: a new processor's faults join this suite with no edit here.
const kits = Object.values(import.meta.glob<{ checkoutFaultKit: CheckoutFaultKit }>('../payment/*/testing/checkoutFaultKit.ts', { eager: true })).map((module) => module.checkoutFaultKit);

it('finds the checkout fault kits', () => {
  expect(kits.length, 'no src/payment/*/testing/checkoutFaultKit.ts found').toBeGreaterThan(0);
});

describe.each(kits)('$id: faults during checkout', (kit) => {
  let ctx: CheckoutFaultContext;
  beforeAll(async () => {
    const app = await startEmulatedApp(kit.start, { timeoutMs: CHECKOUT_FAULT_TIMEOUT_MS });
    t = app.t;
    ctx = { ...app, checkout, newOwner };
  });

  it.each(kit.cases)('$route: $name', async (c) => {
    const { route, fault, first } = c;
    const owner = await newOwner();
    await ctx.faults.clear();
    await ctx.faults.inject(route, fault);

    let res = await checkout(owner);
    if (first !== 200) {
      expect(res.status, JSON.stringify(res.body)).toBe(first.status);
      expectClearError(res.body, first.kind, kit.id);
      // Nothing half-written: no session audited, no state; a customer id only once the processor's answer arrived.
      expect(await ourRows(owner)).toEqual({
        customerId: await kit.customerKeptAfterFailure(c, ctx, owner),
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
    await kit.expectAtProcessor(c, ctx, owner, res.body.sessionId);

    // The session the user got is the workspace's: paying it subscribes the workspace, once.
    await ctx.driver.emulator.completeCheckout(res.body.sessionId);
    await ctx.driver.emulator.idle();
    expect(await ourRows(owner)).toMatchObject({ plan: 'pro', status: 'active', checkoutsAudited: 1, payments: 1 });
  });

  for (const scenario of kit.scenarios ?? []) it(scenario.name, () => scenario.run(ctx));
});
