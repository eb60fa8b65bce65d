/// <reference types="vite/client" />
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChaosWireKit } from '../payment/chaosWireKit.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { runChaos, report, type ChaosMode } from './chaosRun.js';
import { startServerProcesses, type ServerProcesses } from './harness.js';
import { trafficClassesFrom } from './trafficClasses.js';
import type { WireEncoder } from './wire.js';

// Chaos through the REAL mappers: the histories of histories.ts as each processor sends them (its
// testing/chaosWire.ts, found by glob) to /payments-webhook of separate server processes running that
// processor's real driver, with traffic that is not ours mixed in (trafficClasses.ts).
// CHAOS_PROCESSOR=<id> runs one (default all), CHAOS_HISTORIES per mode (default 8), CHAOS_CLASSES the
// traffic classes, CHAOS_SEED reproduces.

const HISTORIES = Number(process.env.CHAOS_HISTORIES ?? 8);
const PROCESSES = Number(process.env.CHAOS_PROCESSES ?? (HISTORIES > 100 ? 4 : 2));
const SEED = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = Number(process.env.CHAOS_CONCURRENCY ?? 16);
const CLASSES = trafficClassesFrom(process.env.CHAOS_CLASSES);
const RUN_TIMEOUT_MS = Math.max(600_000, HISTORIES * 3_000);

// Every processor folder's testing/chaosWire.ts; the server processes load the same file (CHAOS_KIT).
const kitFiles = import.meta.glob<{ chaosWire: ChaosWireKit }>('../payment/*/testing/chaosWire.ts', { eager: true });
const kits = Object.entries(kitFiles).map(([file, module]) => ({ encoder: module.chaosWire, path: fileURLToPath(new URL(file, import.meta.url)) }));
const selected = kits.filter(({ encoder }) => !process.env.CHAOS_PROCESSOR || encoder.processor === process.env.CHAOS_PROCESSOR);

it('finds the chaos wire kits, and CHAOS_PROCESSOR names one of them', () => {
  expect(kits.length, 'no src/payment/*/testing/chaosWire.ts found').toBeGreaterThan(0);
  expect(selected.length, `CHAOS_PROCESSOR=${process.env.CHAOS_PROCESSOR}: kits are ${kits.map((k) => k.encoder.processor).join(', ')}`).toBeGreaterThan(0);
});

let databaseUrl: string;
beforeAll(async () => {
  ({ url: databaseUrl } = await createTestDatabase());
}, 120_000);

for (const { encoder, path } of selected) {
  describe(`chaos through the real ${encoder.processor} mapper (CHAOS_SEED=${SEED}, classes ${[...CLASSES].join(',') || 'none'})`, () => {
    let servers: ServerProcesses;
    let api: Awaited<ReturnType<NonNullable<WireEncoder['startApi']>>> | undefined;
    beforeAll(async () => {
      api = await encoder.startApi?.();
      servers = await startServerProcesses(databaseUrl, PROCESSES, { ...encoder.serverEnv, ...api?.env, CHAOS_KIT: path });
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

it('CHAOS_CLASSES: a list, none, or an error naming the unknown class', () => {
  expect([...trafficClassesFrom('otherCustomer, unknownTypes')]).toEqual(['otherCustomer', 'unknownTypes']);
  expect(trafficClassesFrom('none').size).toBe(0);
  expect(() => trafficClassesFrom('otherCustomer,sideways')).toThrow(/unknown class sideways/);
});
