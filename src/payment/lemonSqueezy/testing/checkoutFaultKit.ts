import { expect } from 'vitest';
import { SLOW_MS, type CheckoutFaultCase, type CheckoutFaultKit } from '../../checkoutFaultKit.js';
import { startEmulatedLemonSqueezy, type EmulatedLemonSqueezyDriver } from '../lemonSqueezyEmulatorMode.js';

interface LemonSqueezyCase extends CheckoutFaultCase {
  first: { status: number; kind: string };
  /** Checkouts Lemon Squeezy created: 2 when the first one's answer was lost (an orphan). */
  created: number;
}

const ROUTE = 'POST /v1/checkouts';

/**
 * No SDK retries and no idempotency keys: every failure reaches the user, and an answer lost after
 * Lemon Squeezy created the checkout leaves that checkout orphaned (`created: 2`).
 */
export const checkoutFaultKit: CheckoutFaultKit<EmulatedLemonSqueezyDriver, LemonSqueezyCase> = {
  id: 'lemonsqueezy',
  start: startEmulatedLemonSqueezy,
  cases: [
    { name: 'a 500', route: ROUTE, fault: { kind: 'status', status: 500 }, first: { status: 502, kind: 'api' }, created: 1 },
    { name: 'a 429', route: ROUTE, fault: { kind: 'status', status: 429 }, first: { status: 503, kind: 'rate_limit' }, created: 1 },
    { name: 'the connection reset before it runs', route: ROUTE, fault: { kind: 'reset' }, first: { status: 503, kind: 'connection' }, created: 1 },
    { name: 'created, answer lost to a reset', route: ROUTE, fault: { kind: 'reset', when: 'after' }, first: { status: 503, kind: 'connection' }, created: 2 },
    { name: 'created, answer too late (timeout)', route: ROUTE, fault: { kind: 'slow', ms: SLOW_MS, when: 'after' }, first: { status: 503, kind: 'connection' }, created: 2 },
  ],

  // A checkout creates no customer of ours before it is paid.
  customerKeptAfterFailure: async () => null,

  async expectAtProcessor({ created }, { faults }, _owner, sessionId) {
    const seen = await faults.requests(ROUTE);
    expect(seen.map((r) => [r.idempotencyKey, Boolean(r.fault)])).toEqual([[null, true], [null, false]]); // no key: Lemon Squeezy takes none
    expect(seen[1]!.answered).toBe(201);
    const checkouts = seen.flatMap((r) => (r.objectId ? [r.objectId] : []));
    expect(checkouts).toHaveLength(created);
    expect(checkouts.at(-1)).toBe(sessionId); // the orphan (if any) was never shown to anyone
  },
};
