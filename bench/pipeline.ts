// Webhook pipeline: signed fake-processor deliveries POSTed to the real /payments-webhook route of
// createApp (verify → parse → dedupe → apply → audit → outbox), in-process server, keep-alive agent.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadCoreEnv, useCoreEnv } from '../src/config/env.js';
import { applyDelivery } from '../src/payment/engine/applyDelivery.js';
import { createEventsProcessor as createFakeProcessor } from '../src/test/eventsProcessor.js';
import { EVENTS_SIGNATURE_HEADER as FAKE_SIGNATURE_HEADER } from '../src/test/eventsWire.js';
import { usePaymentProcessor } from '../src/payment/processors.js';
import type { ParsedDelivery } from '../src/payment/events.js';
import { definePaymentProcessor } from '../src/payment/webhookHandler.js';
import { createApp } from '../src/server/createApp.js';
import { captureQueries, type BenchDatabase, type QueryLog, type SeededWorkspace } from './database.js';
import { applyFloor, openFloorPool } from './floor.js';
import { nowMs, runClosedLoop, summarize, type LoadResult, type Summary } from './stats.js';
import { buildDeliveries, FAKE_SECRET, type Delivery } from './workload.js';

export interface AppServer {
  port: number;
  close: () => Promise<void>;
}

/** The app as `npm start` builds it, with the fake processor, listening on a free port. */
export async function startAppServer(): Promise<AppServer> {
  const env = loadCoreEnv({ ADMIN_EMAILS: 'admin@bench.example', APP_URL: 'http://localhost:3001', PAYMENTS_PROCESSOR: 'fake' });
  useCoreEnv(env);
  const processor = definePaymentProcessor(createFakeProcessor({ FAKE_WEBHOOK_SECRET: FAKE_SECRET }));
  usePaymentProcessor(processor);
  const app = createApp({ env, processor, defaults: { database: 'bench' } });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Activates the fake processor again (the operations section swaps in Stripe). */
export function useFakeProcessor(): void {
  usePaymentProcessor(definePaymentProcessor(createFakeProcessor({ FAKE_WEBHOOK_SECRET: FAKE_SECRET })));
}

export function postJson(agent: http.Agent, port: number, path: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function send(agent: http.Agent, port: number, delivery: Delivery): Promise<void> {
  const res = await postJson(agent, port, '/payments-webhook', delivery.body, { [FAKE_SIGNATURE_HEADER]: delivery.signature });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
  const answer = JSON.parse(res.body) as { duplicate?: boolean; ignored?: boolean };
  if (answer.duplicate || answer.ignored) throw new Error(`unexpected answer ${res.body}`);
}

export async function runPipeline(server: AppServer, workspaces: SeededWorkspace[], count: number, concurrency: number): Promise<LoadResult> {
  const deliveries = buildDeliveries(workspaces, count, `p${concurrency}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  try {
    return await runClosedLoop(deliveries, concurrency, (delivery) => send(agent, server.port, delivery));
  } finally {
    agent.destroy();
  }
}

/** One payment and one subscription delivery through the route, with every statement the app sent. */
export async function pipelineStatements(db: BenchDatabase, server: AppServer, workspaces: SeededWorkspace[]): Promise<{ payment: QueryLog[]; subscription: QueryLog[] }> {
  const [payment, subscription] = buildDeliveries(workspaces.slice(0, 1), 10, 'trace').filter((d, i, all) => all.findIndex((o) => o.kind === d.kind) === i);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    return {
      payment: await captureQueries(db, () => send(agent, server.port, payment!)),
      subscription: await captureQueries(db, () => send(agent, server.port, subscription!)),
    };
  } finally {
    agent.destroy();
  }
}

export interface StageRow {
  stage: string;
  latency: Summary;
  /** This process's CPU (user + system) per delivery, in ms. */
  cpuMs: number;
}

/**
 * Where a delivery's time goes, one at a time, the stages interleaved (delivery i of every stage, then
 * i + 1) so the machine's noise hits them alike: the whole HTTP route; parseWebhook + applyDelivery called
 * in-process (no HTTP, no Express); applyDelivery alone on a parsed delivery; parseWebhook alone; and the
 * floor's bare-SQL transaction for the same kind of delivery.
 */
export async function pipelineBreakdown(server: AppServer, url: string, workspaces: SeededWorkspace[], count: number): Promise<StageRow[]> {
  const driver = createFakeProcessor({ FAKE_WEBHOOK_SECRET: FAKE_SECRET });
  const headersOf = (d: Delivery) => ({ [FAKE_SIGNATURE_HEADER]: d.signature, 'content-type': 'application/json' });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const floor = await openFloorPool(url, 1);
  const applied = async (p: ParsedDelivery) => {
    const outcome = await applyDelivery(driver, p);
    if (outcome.status !== 'processed') throw new Error(JSON.stringify(outcome));
  };
  const stages: { stage: string; items: Delivery[]; parsed?: ParsedDelivery[]; run: (d: Delivery, p?: ParsedDelivery) => Promise<unknown> }[] = [
    { stage: 'HTTP route (Express, raw body, verify, zod, engine)', items: buildDeliveries(workspaces, count, 'b1'), run: (d) => send(agent, server.port, d) },
    { stage: 'parseWebhook + applyDelivery, in-process', items: buildDeliveries(workspaces, count, 'b2'), run: async (d) => applied(await driver.parseWebhook(Buffer.from(d.body), headersOf(d))) },
    { stage: 'applyDelivery alone (engine, Prisma, pg driver, database)', items: buildDeliveries(workspaces, count, 'b3'), run: (_d, p) => applied(p!) },
    { stage: 'parseWebhook alone (HMAC check, JSON, zod)', items: buildDeliveries(workspaces, count, 'b4'), run: (d) => driver.parseWebhook(Buffer.from(d.body), headersOf(d)) },
    { stage: 'floor: the same rows by bare SQL with pg', items: buildDeliveries(workspaces, count, 'b5'), run: (d) => applyFloor(floor, d) },
    {
      stage: 'HTTP round trip alone: the route answering 400 to a bad signature (client + server, no database)',
      items: buildDeliveries(workspaces, count, 'b6'),
      run: async (d) => {
        const res = await postJson(agent, server.port, '/payments-webhook', d.body, { [FAKE_SIGNATURE_HEADER]: '00' });
        if (res.status !== 400) throw new Error(`expected 400, got ${res.status}`);
      },
    },
  ];
  stages[2]!.parsed = await Promise.all(stages[2]!.items.map((d) => driver.parseWebhook(Buffer.from(d.body), headersOf(d))));
  const samples = stages.map(() => ({ latency: [] as number[], cpu: 0 }));
  try {
    for (let i = 0; i < count; i++) {
      for (const [k, stage] of stages.entries()) {
        const cpu0 = process.cpuUsage();
        const t0 = nowMs();
        await stage.run(stage.items[i]!, stage.parsed?.[i]);
        samples[k]!.latency.push(nowMs() - t0);
        const cpu = process.cpuUsage(cpu0);
        samples[k]!.cpu += (cpu.user + cpu.system) / 1000;
      }
    }
  } finally {
    agent.destroy();
    await floor.end();
  }
  return stages.map((stage, k) => ({ stage: stage.stage, latency: summarize(samples[k]!.latency), cpuMs: samples[k]!.cpu / count }));
}
