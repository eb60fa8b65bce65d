import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/testDatabase.js';
import { runChaos, report, type ChaosMode } from './chaosRun.js';
import { startServerProcesses, type ServerProcesses } from './harness.js';
import { generateHistory, historySeed, prng } from './histories.js';
import { lemonSqueezyWire } from './lemonSqueezyWire.js';
import { stripeWire } from './stripeWire.js';
import { TRAFFIC_CLASSES, trafficClassesFrom } from './trafficClasses.js';
import type { WireEncoder } from './wire.js';

// Chaos through the REAL mappers: the histories of histories.ts as Stripe-shaped and Lemon
// Squeezy-shaped signed deliveries (stripeWire.ts, lemonSqueezyWire.ts) to /payments-webhook of
// separate server processes running the real Stripe / Lemon Squeezy processor, with traffic that is
// not ours mixed in (trafficClasses.ts). CHAOS_PROCESSOR=stripe|lemonsqueezy runs one (default both),
// CHAOS_HISTORIES per mode (default 8), CHAOS_CLASSES the traffic classes, CHAOS_SEED reproduces.

const HISTORIES = Number(process.env.CHAOS_HISTORIES ?? 8);
const PROCESSES = Number(process.env.CHAOS_PROCESSES ?? (HISTORIES > 100 ? 4 : 2));
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 16);
const CLASSES = trafficClassesFrom(process.env.CHAOS_CLASSES);
const RUN_TIMEOUT_MS = Math.max(600_000, HISTORIES * 3_000);
const encoders = [stripeWire, lemonSqueezyWire].filter((e) => !process.env.CHAOS_PROCESSOR || e.processor === process.env.CHAOS_PROCESSOR);

let databaseUrl: string;
beforeAll(async () => {
  ({ url: databaseUrl } = await createTestDatabase());
}, 120_000);

for (const encoder of encoders) {
  describe(`chaos through the real ${encoder.processor} mapper (CHAOS_SEED=${SEED}, classes ${[...CLASSES].join(',') || 'none'})`, () => {
    let servers: ServerProcesses;
    let api: Awaited<ReturnType<NonNullable<WireEncoder['startApi']>>> | undefined;
    beforeAll(async () => {
      api = await encoder.startApi?.();
      servers = await startServerProcesses(databaseUrl, PROCESSES, { ...encoder.serverEnv, ...api?.env });
    }, 120_000);
    afterAll(async () => {
      await servers?.stop();
      await api?.stop();
    });
    const chaos = (mode: ChaosMode) => runChaos({ mode, seed: SEED, histories: HISTORIES, concurrency: CONCURRENCY, servers, encoder, classes: CLASSES });

    it('ordered sends with duplicates, twins and late retries: canonical state, emails once, traffic not ours without effect', { timeout: RUN_TIMEOUT_MS }, async () => {
      report(await chaos('ordered sends, late retries'));
    });

    it('fully shuffled deliveries with duplicates and twins: canonical state, emails once, traffic not ours without effect', { timeout: RUN_TIMEOUT_MS }, async () => {
      report(await chaos('full shuffle'));
    });
  });
}

describe('wire encoders', () => {
  /** 200 histories encoded with every class: the wire events, their sorted types, and whether every delivery id is unique. */
  const encodeMany = (encoder: WireEncoder) => {
    const rng = prng(11);
    const wires = Array.from({ length: 200 }, (_, i) => encoder.encode(generateHistory(i, historySeed(5, i), `ws-${i}`), rng, new Set(TRAFFIC_CLASSES)));
    const events = wires.flatMap((w) => w.events);
    const ids = events.map((e) => e.delivery.eventId);
    return { events, types: [...new Set(events.map((e) => e.delivery.type))].sort(), idsUnique: new Set(ids).size === ids.length };
  };

  it("Stripe: every event type the mapper acts on, plus the ones Stripe sends beside them; Stripe's event ids; both API versions", () => {
    const { events, types, idsUnique } = encodeMany(stripeWire);
    expect(types).toEqual([
      'charge.refunded',
      'charge.succeeded',
      'checkout.session.completed',
      'customer.subscription.created',
      'customer.subscription.deleted',
      'customer.subscription.updated',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_failed',
      'invoice.payment_succeeded',
    ]);
    expect(idsUnique).toBe(true);
    const versions = new Set(events.map((e) => JSON.parse(e.delivery.body).api_version));
    expect([...versions].sort()).toEqual(['2024-06-20', '2026-10-28.endive']);
    const event = events[0]!;
    expect(JSON.parse(event.delivery.body).id).toBe(event.delivery.eventId);
    expect(event.twin().eventId).not.toBe(event.delivery.eventId);
    expect(event.twin().body.replace(/"id":"evt_[^"]+"/, '')).toBe(event.delivery.body.replace(/"id":"evt_[^"]+"/, ''));
  });

  it("Lemon Squeezy: every event it sends for the histories; the plugin's delivery keys, another for a twin", () => {
    const { events, types, idsUnique } = encodeMany(lemonSqueezyWire);
    expect(types).toEqual([
      'license_key_created',
      'order_created',
      'order_refunded',
      'subscription_cancelled',
      'subscription_created',
      'subscription_expired',
      'subscription_payment_failed',
      'subscription_payment_recovered',
      'subscription_payment_success',
      'subscription_plan_changed',
      'subscription_resumed',
      'subscription_updated',
    ]);
    expect(idsUnique).toBe(true);
    const event = events.find((e) => e.delivery.type === 'order_created')!;
    expect(event.delivery.eventId).toMatch(/^order_created:orders:\d+:/);
    expect(event.twin().eventId).not.toBe(event.delivery.eventId);
  });

  it('CHAOS_CLASSES: a list, none, or an error naming the unknown class', () => {
    expect([...trafficClassesFrom('otherCustomer, unknownTypes')]).toEqual(['otherCustomer', 'unknownTypes']);
    expect(trafficClassesFrom('none').size).toBe(0);
    expect(() => trafficClassesFrom('otherCustomer,sideways')).toThrow(/unknown class sideways/);
  });
});
