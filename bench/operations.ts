// Operations: generateCheckoutSession against the local Stripe emulator (in-memory, in-process) with the
// time spent inside the driver's SDK calls subtracted, and getWorkspaceBilling; both called directly
// with an operation context, getWorkspaceBilling also over HTTP.
import http from 'node:http';
import type pg from 'pg';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.js';
import { db } from '../src/db/client.js';
import { generateCheckoutSession } from '../src/payment/operations/generateCheckoutSession.js';
import { getWorkspaceBilling } from '../src/payment/operations/getWorkspaceBilling.js';
import type { ProcessorDriver } from '../src/payment/paymentProcessor.js';
import { usePaymentProcessor } from '../src/payment/processors.js';
import { startEmulatedStripe } from '../src/payment/stripe/stripeEmulatorMode.js';
import { definePaymentProcessor } from '../src/payment/webhookHandler.js';
import type { OperationContext } from '../src/server/operationContext.js';
import { captureQueries, seedWorkspaces, type BenchDatabase, type QueryLog, type SeededWorkspace } from './database.js';
import { postJson, useFakeProcessor } from './pipeline.js';
import { nowMs, sample, summarize, type Summary } from './stats.js';

export interface CheckoutFigures {
  label: string;
  total: Summary;
  /** Inside the driver: the SDK call, the HTTP round trip and the emulator's own work. */
  processor: Summary;
  /** total - processor, per call: what the plugin adds. */
  overhead: Summary;
}

export interface OperationsResult {
  checkouts: CheckoutFigures[];
  billing: { label: string; summary: Summary }[];
  statements: { label: string; queries: QueryLog[] }[];
}

const contextOf = (w: SeededWorkspace): OperationContext => ({ user: { id: w.ownerId, email: w.ownerEmail, isAdmin: false }, entities: db() });

export async function measureOperations(database: BenchDatabase, pool: pg.Pool, port: number, samples: number, log: (line: string) => void): Promise<OperationsResult> {
  const warmup = 5;
  const workspaces = await seedWorkspaces(pool, samples + warmup + 2, '001');
  const stripe = await startEmulatedStripe({}, {});
  let inside = 0;
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t0 = nowMs();
      try {
        return await fn(...args);
      } finally {
        inside += nowMs() - t0;
      }
    };
  const driver: ProcessorDriver = { ...stripe, createCheckoutSession: timed(stripe.createCheckoutSession), createCustomer: timed(stripe.createCustomer!) };
  usePaymentProcessor(definePaymentProcessor(driver));

  const kinds = [
    { label: 'first checkout of a workspace (credits10; creates the Stripe customer)', planId: 'credits10' },
    { label: 'next checkout (pro subscription; customer exists)', planId: 'pro' },
  ];
  const raw = kinds.map(() => ({ total: [] as number[], processor: [] as number[], overhead: [] as number[] }));
  try {
    for (const [i, workspace] of workspaces.slice(0, samples + warmup).entries()) {
      for (const [k, kind] of kinds.entries()) {
        inside = 0;
        const t0 = nowMs();
        await generateCheckoutSession({ workspaceId: workspace.id, planId: kind.planId }, contextOf(workspace));
        const total = nowMs() - t0;
        if (i < warmup) continue;
        raw[k]!.total.push(total);
        raw[k]!.processor.push(inside);
        raw[k]!.overhead.push(total - inside);
      }
    }
    const spare = workspaces.at(-1)!;
    const statements = [
      { label: 'generateCheckoutSession, first (creates the customer)', queries: await captureQueries(database, () => generateCheckoutSession({ workspaceId: spare.id, planId: 'credits10' }, contextOf(spare))) },
      { label: 'generateCheckoutSession, next', queries: await captureQueries(database, () => generateCheckoutSession({ workspaceId: spare.id, planId: 'pro' }, contextOf(spare))) },
      { label: 'getWorkspaceBilling', queries: await captureQueries(database, () => getWorkspaceBilling({ workspaceId: spare.id }, contextOf(spare))) },
    ];
    const checkouts = kinds.map((kind, k) => ({ label: kind.label, total: summarize(raw[k]!.total), processor: summarize(raw[k]!.processor), overhead: summarize(raw[k]!.overhead) }));
    for (const c of checkouts) log(`  ${c.label}: total p50 ${c.total.p50.toFixed(2)} ms, plugin overhead p50 ${c.overhead.p50.toFixed(2)} ms`);

    const opts = { min: samples, max: samples, budgetMs: 0 };
    let n = 0;
    const next = () => workspaces[n++ % samples]!;
    const direct = await sample(() => {
      const w = next();
      return getWorkspaceBilling({ workspaceId: w.id }, contextOf(w));
    }, opts);
    const owner = workspaces[0]!;
    const cookie = `${SESSION_COOKIE}=${await createSession(owner.ownerId)}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ workspaceId: owner.id });
    const overHttp = await sample(async () => {
      const res = await postJson(agent, port, '/operations/getWorkspaceBilling', body, { cookie });
      if (res.status !== 200) throw new Error(`getWorkspaceBilling over HTTP: ${res.status} ${res.body}`);
    }, opts);
    agent.destroy();
    const billing = [
      { label: 'getWorkspaceBilling, direct call', summary: direct },
      { label: 'getWorkspaceBilling, over HTTP (session cookie)', summary: overHttp },
    ];
    for (const b of billing) log(`  ${b.label}: p50 ${b.summary.p50.toFixed(2)} ms, p95 ${b.summary.p95.toFixed(2)} ms`);
    return { checkouts, billing, statements };
  } finally {
    await stripe.close?.();
    useFakeProcessor();
  }
}
