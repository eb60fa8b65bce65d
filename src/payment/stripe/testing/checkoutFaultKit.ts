import type Stripe from 'stripe';
import { expect } from 'vitest';
import { SLOW_MS, type CheckoutFaultCase, type CheckoutFaultContext, type CheckoutFaultKit } from '../../checkoutFaultKit.js';
import { startEmulatedStripe, type EmulatedStripeDriver } from '../stripeEmulatorMode.js';

interface StripeCase extends CheckoutFaultCase {
  /** Requests Stripe sees for the faulted route: the SDK's attempts, then the retry click's. */
  requests: number;
}

const ROUTES = ['POST /v1/customers', 'POST /v1/checkout/sessions'];
const FAULTS: Omit<StripeCase, 'route'>[] = [
  { name: 'a 500 once: the SDK retries', fault: { kind: 'status', status: 500 }, first: 200, requests: 2 },
  { name: 'a 503 on every attempt', fault: { kind: 'status', status: 503, times: 3 }, first: { status: 502, kind: 'api' }, requests: 4 },
  { name: 'a 429 (the SDK does not retry it)', fault: { kind: 'status', status: 429 }, first: { status: 503, kind: 'rate_limit' }, requests: 2 },
  { name: 'created, answer lost to a reset once: the retry gets the saved answer', fault: { kind: 'reset', when: 'after' }, first: 200, requests: 2 },
  { name: 'created, every answer lost to a reset', fault: { kind: 'reset', when: 'after', times: 3 }, first: { status: 503, kind: 'connection' }, requests: 4 },
  { name: 'created, every answer too late (timeouts)', fault: { kind: 'slow', ms: SLOW_MS, when: 'after', times: 3 }, first: { status: 503, kind: 'connection' }, requests: 4 },
  { name: 'held up before it runs: the SDK retries meanwhile', fault: { kind: 'slow', ms: SLOW_MS }, first: 200, requests: 2 },
];

type Context = CheckoutFaultContext<EmulatedStripeDriver>;

/** The workspace's customers and the sessions created at the emulator (by the SDK's API, not our rows). */
async function atStripe({ driver, faults }: Context, workspaceId: string) {
  const created = await driver.stripe.events.list({ type: 'customer.created', limit: 100 });
  const customers = created.data.map((e) => e.data.object as Stripe.Customer).filter((c) => c.metadata.workspaceId === workspaceId);
  const sessionIds = (await faults.requests('POST /v1/checkout/sessions')).flatMap((r) => (r.objectId ? [r.objectId] : []));
  const sessions = await Promise.all(sessionIds.map((id) => driver.stripe.checkout.sessions.retrieve(id)));
  return { customers: customers.map((c) => c.id), sessions: sessions.filter((s) => s.client_reference_id === workspaceId).map((s) => s.id) };
}

/** The SDK retries with one idempotency key, which the user's retry click reuses: one customer, one session. */
export const checkoutFaultKit: CheckoutFaultKit<EmulatedStripeDriver, StripeCase> = {
  id: 'stripe',
  start: startEmulatedStripe,
  cases: ROUTES.flatMap((route) => FAULTS.map((c) => ({ ...c, route }))),

  async customerKeptAfterFailure({ route }, ctx, owner) {
    const { customers } = await atStripe(ctx, owner.workspaceId);
    return route === 'POST /v1/customers' ? null : customers[0]!; // past the customers route, Stripe's answer arrived: one exists
  },

  async expectAtProcessor({ route, fault, requests }, ctx, owner, sessionId) {
    const seen = await ctx.faults.requests(route);
    expect(seen).toHaveLength(requests);
    expect(seen.filter((r) => r.fault).length).toBe(fault.times ?? 1); // the fault really hit, as often as set
    expect(seen.at(-1)!.answered).toBe(200);
    expect(seen[0]!.idempotencyKey).toMatch(/\w{8}/);
    expect(new Set(seen.map((r) => r.idempotencyKey))).toEqual(new Set([seen[0]!.idempotencyKey])); // SDK retries and the click: one key
    const { customers, sessions } = await atStripe(ctx, owner.workspaceId);
    expect(customers).toEqual([(await ctx.t.workspace(owner.workspaceId)).processorCustomerId]);
    expect(sessions).toEqual([sessionId]);
  },

  scenarios: [
    {
      name: 'a double click (two requests at once) is one customer and one session',
      async run(ctx) {
        const owner = await ctx.newOwner();
        await ctx.faults.clear();
        const [a, b] = await Promise.all([ctx.checkout(owner, 'credits10'), ctx.checkout(owner, 'credits10')]);
        expect([a.status, b.status]).toEqual([200, 200]);
        expect(a.body.sessionId).toBe(b.body.sessionId);
        expect(await atStripe(ctx, owner.workspaceId)).toEqual({ customers: [expect.any(String)], sessions: [a.body.sessionId] });
      },
    },
    {
      name: 'a second click after the first was answered is that session; once it is paid, the next click is a new one',
      async run(ctx) {
        const owner = await ctx.newOwner();
        await ctx.faults.clear();
        const first = await ctx.checkout(owner, 'credits10');
        const again = await ctx.checkout(owner, 'credits10');
        expect([first.status, again.status]).toEqual([200, 200]);
        expect(again.body.sessionId).toBe(first.body.sessionId);
        await ctx.driver.emulator.completeCheckout(first.body.sessionId);
        await ctx.driver.emulator.idle();
        const next = await ctx.checkout(owner, 'credits10');
        expect(next.status).toBe(200);
        expect(next.body.sessionId).not.toBe(first.body.sessionId);
        expect((await atStripe(ctx, owner.workspaceId)).sessions).toEqual([first.body.sessionId, next.body.sessionId]);
      },
    },
    {
      name: "another owner's click after the customer's answer was lost gets that customer, not an error",
      async run(ctx) {
        const owner = await ctx.newOwner();
        const second = await ctx.newOwner();
        await ctx.t.addMember(owner, second, 'owner');
        await ctx.faults.clear();
        await ctx.faults.inject('POST /v1/customers', { kind: 'reset', when: 'after', times: 3 });
        expect((await ctx.checkout(owner)).status).toBe(503);
        const res = await ctx.checkout({ ...second, workspaceId: owner.workspaceId });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(await atStripe(ctx, owner.workspaceId)).toEqual({ customers: [(await ctx.t.workspace(owner.workspaceId)).processorCustomerId], sessions: [res.body.sessionId] });
      },
    },
  ],
};
