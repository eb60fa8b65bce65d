import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db/client.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { runChaos, report, type ChaosMode } from './chaosRun.js';
import { fakeWire } from './fakeWire.js';
import { createWorkspaces, deliver, startServerProcesses, type ServerProcesses } from './harness.js';
import { generateHistory, historySeed } from './histories.js';
import { billedWorkspace } from '../test/billingRecords.js';

// Chaos delivery through the fake processor (its wire format is the normalized events; the real
// mappers' run is mapperChaos.test.ts): seeded histories through the real HTTP webhook route of several server processes
// on one PostgreSQL, with duplicates, the same money under a second event id, reordering and
// concurrency. CHAOS_HISTORIES (default 20 per mode, 40 in all), CHAOS_PROCESSES (default 2; 4 above 100
// histories), CHAOS_SEED reproduces a run.

const HISTORIES = Number(process.env.CHAOS_HISTORIES ?? 20);
const PROCESSES = Number(process.env.CHAOS_PROCESSES ?? (HISTORIES > 100 ? 4 : 2));
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 16);
// A large run on 2 cores takes about a second per history and mode; the limit only catches a hang.
const RUN_TIMEOUT_MS = Math.max(600_000, HISTORIES * 2_000);

let servers: ServerProcesses;
beforeAll(async () => {
  const { url } = await createTestDatabase();
  servers = await startServerProcesses(url, PROCESSES);
}, 120_000);
afterAll(async () => {
  await servers?.stop();
});

const chaos = (mode: ChaosMode) => runChaos({ mode, seed: SEED, histories: HISTORIES, concurrency: CONCURRENCY, servers, encoder: fakeWire, classes: new Set() });

describe(`chaos delivery (CHAOS_SEED=${SEED})`, () => {
  it('ordered sends with duplicates, twins and late retries, across server processes: canonical state, emails once', { timeout: RUN_TIMEOUT_MS }, async () => {
    report(await chaos('ordered sends, late retries'));
  });

  it('fully shuffled deliveries with duplicates and twins, across server processes: canonical state, emails once', { timeout: RUN_TIMEOUT_MS }, async () => {
    report(await chaos('full shuffle'));
  });
});

describe('defects found by the full shuffle (kept failing until fixed at the root)', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 10, 0, s)).toISOString();

  it('DEFECT D1 (fixed): a pack refund delivered before its payment is dropped (payment.refund_unmatched), so the refunded credits are never taken back', async () => {
    const [w] = await createWorkspaces(1, () => 1);
    const ref = { workspaceId: w!.workspaceId };
    const moneyId = `pk_d1_${w!.workspaceId}`;
    const payment = { id: `evt_d1_pay_${moneyId}`, type: 'payment.succeeded', data: { ref, money: { moneyId, amount: 990, currency: 'usd' }, planId: 'credits10', paidAt: at(1) } };
    const refund = { id: `evt_d1_refund_${moneyId}`, type: 'payment.refunded', data: { ref, moneyId, amountRefunded: 990, currency: 'usd', refundedAt: at(2) } };
    expect((await deliver(servers.urls[0]!, refund)).status).toBe(200);
    expect((await deliver(servers.urls[0]!, payment)).status).toBe(200);
    const ws = await billedWorkspace(w!.workspaceId);
    expect(ws.credits).toBe(0);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId } })).toMatchObject({ status: 'refunded', amountRefunded: 990 });
  });

  const state = (ref: object, subscriptionId: string, planId: string, second: number, id: string) => ({
    id,
    type: 'subscription.changed',
    data: { ref, subscription: { subscriptionId, planId, status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: at(86_400), trialEnd: null, occurredAt: at(second) } },
  });
  // The end carries the processor's final description of the subscription (its plan at the end).
  const end = (ref: object, subscriptionId: string, planId: string, second: number, id: string) => ({
    id,
    type: 'subscription.ended',
    data: { ref, subscriptionId, planId, currentPeriodEnd: at(86_400), endedAt: at(second), occurredAt: at(second) },
  });

  it('DEFECT D2a (fixed): subscription.ended applied before older states of that subscription freezes the plan at whatever was stored (every older state is then ignored as "already ended"): a plan change before the end is lost', async () => {
    const [w] = await createWorkspaces(1, () => 1);
    const ref = { workspaceId: w!.workspaceId };
    const sub = `sub_d2a_${w!.workspaceId}`;
    for (const d of [state(ref, sub, 'pro', 1, `evt_d2a_1_${sub}`), end(ref, sub, 'hobby', 3, `evt_d2a_3_${sub}`), state(ref, sub, 'hobby', 2, `evt_d2a_2_${sub}`)]) {
      expect((await deliver(servers.urls[0]!, d)).status).toBe(200);
    }
    expect(await billedWorkspace(w!.workspaceId)).toMatchObject({ subscriptionPlan: 'hobby', subscriptionStatus: 'canceled' });
  });

  it("DEFECT D2b (fixed): subscription.ended delivered before the subscription's first state leaves plan null and never emails the owners that it ended", async () => {
    const [w] = await createWorkspaces(1, () => 1);
    const ref = { workspaceId: w!.workspaceId };
    const sub = `sub_d2b_${w!.workspaceId}`;
    expect((await deliver(servers.urls[0]!, end(ref, sub, 'pro', 2, `evt_d2b_2_${sub}`))).status).toBe(200);
    expect((await deliver(servers.urls[1 % servers.urls.length]!, state(ref, sub, 'pro', 1, `evt_d2b_1_${sub}`))).status).toBe(200);
    expect(await billedWorkspace(w!.workspaceId)).toMatchObject({ subscriptionId: sub, subscriptionPlan: 'pro', subscriptionStatus: 'canceled' });
    expect(await db().emailOutbox.count({ where: { recipient: w!.owners[0]!, template: 'subscription_ended' } })).toBe(1);
  });
});

describe('history generator', () => {
  it('is reproducible from its seed and covers every kind of step', () => {
    const a = generateHistory(3, 12345, 'ws');
    const b = generateHistory(3, 12345, 'ws');
    expect(a).toEqual(b);
    const steps = new Set(Array.from({ length: 300 }, (_, i) => generateHistory(i, historySeed(7, i), 'ws').steps).flat());
    expect([...steps].sort()).toEqual(['buyPack', 'cancelAtPeriodEnd', 'changePlan', 'end', 'failThenRecover', 'failUnrecovered', 'recover', 'refundPack', 'renew', 'resume', 'subscribe']);
    for (let i = 0; i < 300; i++) {
      const h = generateHistory(i, historySeed(7, i), 'ws');
      const times = h.events.map((e) => e.at);
      expect(new Set(times).size).toBe(times.length);
    }
  });
});
