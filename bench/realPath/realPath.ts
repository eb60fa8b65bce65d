// The real path: real-shaped, signed Stripe and Lemon Squeezy deliveries over HTTP to the app as `npm start`
// runs it (its own process, durable PostgreSQL, the outbox sending to an SMTP server in another process),
// interleaved with the same stream to the naive peer; the bare-SQL floor at the same concurrency.
import http from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedWorkspaces, type BenchDatabase, type SeededWorkspace } from '../database.js';
import { runFloor } from '../floor.js';
import { postJson } from '../pipeline.js';
import { nowMs, runClosedLoop, summarize, type Summary } from '../stats.js';
import { summarizeProfile, type ProfileSummary } from './cpuProfile.js';
import { postgresCpuMs, processCpuMs, startAppProcess, startNaiveProcess, startSmtpSinkProcess, type NodeProcess } from './processes.js';
import { buildRealDeliveries, REAL_PROCESSORS, REAL_SECRETS, seedBilling, type BilledAt, type RealDelivery, type RealProcessor } from './realWorkload.js';
import { readStatements, resetStatements, type StatementProfile } from './statements.js';

export interface RunFigures {
  perSecond: number;
  latency: Summary;
  /** CPU of the handling Node process per delivery, in ms (ours: its emails' sending included). */
  nodeCpuMs: number;
  /** CPU of PostgreSQL's processes per delivery, in ms (ours: its emails' bookkeeping included). */
  postgresCpuMs: number;
  errors: number;
  firstError?: string;
}

export interface OutboxFigures {
  emails: number;
  /** Deliveries per second counted until the last of their emails was sent. */
  endToEndPerSecond: number;
  /** Emails sent per second once deliveries stopped arriving (the backlog left by the run). */
  drainPerSecond: number;
  drainEmails: number;
  /** The app's CPU per email sent while draining. */
  nodeCpuMsPerEmail: number;
}

export interface RealPoint {
  concurrency: number;
  processor: RealProcessor;
  ours: RunFigures;
  naive: RunFigures;
  outbox: OutboxFigures;
}

export interface FloorPoint {
  concurrency: number;
  figures: RunFigures;
}

export interface RealPathResults {
  deliveries: number;
  rounds: number;
  points: RealPoint[];
  floor: FloorPoint[];
  statements?: { ours: StatementProfile; naive: StatementProfile; deliveries: number };
  profile?: { summary: ProfileSummary; deliveries: number; concurrency: number };
  /** Credits granted beyond one per pack when every credit-pack delivery arrives twice. */
  duplicates?: { deliveries: number; oursExtraCredits: number; naiveExtraCredits: number };
}

const ROUNDS = 2;

function sender(port: number, route: (d: RealDelivery) => string, concurrency: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  return {
    send: async (d: RealDelivery) => {
      const res = await postJson(agent, port, route(d), d.body, d.headers);
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
      // Every delivery here is new and ours: an ignored or duplicate answer means the stream is wrong.
      if (/"(duplicate|ignored)":true/.test(res.body)) throw new Error(`unexpected answer ${res.body.slice(0, 200)}`);
    },
    close: () => agent.destroy(),
  };
}

const oursRoute = (d: RealDelivery) => `/payments-webhook/${d.processor}`;
const naiveRoute = (d: RealDelivery) => `/${d.processor}`;

async function pendingEmails(db: BenchDatabase): Promise<number> {
  return Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "EmailOutbox" WHERE status = 'pending'`)).rows[0]!.n);
}

async function sentEmails(db: BenchDatabase): Promise<number> {
  return Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "EmailOutbox" WHERE status = 'sent'`)).rows[0]!.n);
}

async function waitForOutbox(db: BenchDatabase): Promise<void> {
  const deadline = nowMs() + 10 * 60_000;
  while ((await pendingEmails(db)) > 0) {
    if (nowMs() > deadline) throw new Error('the outbox did not drain in 10 minutes');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface Round {
  samples: number[];
  wallMs: number;
  drainMs: number;
  nodeCpuMs: number;
  postgresCpuMs: number;
  drainCpuMs: number;
  emails: number;
  drainEmails: number;
  errors: number;
  firstError?: string;
}

/** One round to one process: the run, then (for ours) the outbox drained, with CPU read around both. */
async function runRound(db: BenchDatabase, target: NodeProcess, route: (d: RealDelivery) => string, deliveries: RealDelivery[], concurrency: number, drain: boolean): Promise<Round> {
  const client = sender(target.port, route, concurrency);
  const sent0 = drain ? await sentEmails(db) : 0;
  const node0 = processCpuMs(target.pid);
  const pg0 = postgresCpuMs(db.postmasterPid);
  const t0 = nowMs();
  const run = await runClosedLoop(deliveries, concurrency, client.send);
  client.close();
  const t1 = nowMs();
  const node1 = processCpuMs(target.pid);
  const sent1 = drain ? await sentEmails(db) : 0;
  if (drain) await waitForOutbox(db);
  const t2 = nowMs();
  const node2 = processCpuMs(target.pid);
  const sent2 = drain ? await sentEmails(db) : 0;
  return {
    samples: run.samples,
    wallMs: t1 - t0,
    drainMs: t2 - t1,
    nodeCpuMs: node2 - node0,
    postgresCpuMs: postgresCpuMs(db.postmasterPid) - pg0,
    drainCpuMs: node2 - node1,
    emails: sent2 - sent0,
    drainEmails: sent2 - sent1,
    errors: run.errors,
    firstError: run.firstError,
  };
}

function figures(rounds: Round[], count: number): RunFigures {
  const sum = (pick: (r: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  return {
    perSecond: (count / sum((r) => r.wallMs)) * 1000,
    latency: summarize(rounds.flatMap((r) => r.samples)),
    nodeCpuMs: sum((r) => r.nodeCpuMs) / count,
    postgresCpuMs: sum((r) => r.postgresCpuMs) / count,
    errors: sum((r) => r.errors),
    firstError: rounds.find((r) => r.firstError)?.firstError,
  };
}

function outboxFigures(rounds: Round[], count: number): OutboxFigures {
  const sum = (pick: (r: Round) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const drainEmails = sum((r) => r.drainEmails);
  return {
    emails: sum((r) => r.emails),
    endToEndPerSecond: (count / sum((r) => r.wallMs + r.drainMs)) * 1000,
    drainPerSecond: (drainEmails / Math.max(1, sum((r) => r.drainMs))) * 1000,
    drainEmails,
    nodeCpuMsPerEmail: sum((r) => r.drainCpuMs) / Math.max(1, drainEmails),
  };
}

/** Ours and naive for one processor at one concurrency, in ROUNDS alternating halves. */
async function measurePoint(db: BenchDatabase, app: NodeProcess, naive: NodeProcess, billed: BilledAt[], count: number, concurrency: number): Promise<RealPoint> {
  const ours: Round[] = [];
  const peer: Round[] = [];
  const perRound = Math.ceil(count / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    ours.push(await runRound(db, app, oursRoute, buildRealDeliveries(billed, perRound), concurrency, true));
    peer.push(await runRound(db, naive, naiveRoute, buildRealDeliveries(billed, perRound), concurrency, false));
  }
  const n = perRound * ROUNDS;
  return { concurrency, processor: billed[0]!.processor, ours: figures(ours, n), naive: figures(peer, n), outbox: outboxFigures(ours, n) };
}

async function measureFloor(db: BenchDatabase, workspaces: SeededWorkspace[], count: number, concurrency: number): Promise<FloorPoint> {
  const pg0 = postgresCpuMs(db.postmasterPid);
  const run = await runFloor(db.url, workspaces, count, concurrency);
  return {
    concurrency,
    figures: { perSecond: run.perSecond, latency: run.latency, nodeCpuMs: run.cpuMsPerItem, postgresCpuMs: (postgresCpuMs(db.postmasterPid) - pg0) / count, errors: run.errors, firstError: run.firstError },
  };
}

async function credits(db: BenchDatabase, ids: string[]): Promise<number> {
  return Number((await db.pool.query<{ n: string }>(`SELECT coalesce(sum(credits), 0) AS n FROM "Workspace" WHERE id = ANY($1)`, [ids])).rows[0]!.n);
}

/** Every credit-pack delivery sent twice: the credits granted beyond one pack per payment. */
async function measureDuplicates(db: BenchDatabase, app: NodeProcess, naive: NodeProcess, billed: BilledAt[], count: number): Promise<RealPathResults['duplicates']> {
  const extra = async (target: NodeProcess, route: (d: RealDelivery) => string) => {
    const packs = buildRealDeliveries(billed, count * 2).filter((d) => d.kind === 'credits').slice(0, count);
    const ids = packs.map((d) => d.workspaceId);
    const before = await credits(db, ids);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
    await runClosedLoop([...packs, ...packs], 4, async (d) => void (await postJson(agent, target.port, route(d), d.body, d.headers)));
    agent.destroy();
    return (await credits(db, ids)) - before - packs.length * 10;
  };
  const result = { deliveries: count, oursExtraCredits: await extra(app, oursRoute), naiveExtraCredits: await extra(naive, naiveRoute) };
  await waitForOutbox(db);
  return result;
}

/**
 * `floorWorkspaces` are the floor's (it writes fake-processor subscriptions); ours and naive get as many
 * of their own, billed at Stripe or Lemon Squeezy.
 */
export async function runRealPath(
  db: BenchDatabase,
  floorWorkspaces: SeededWorkspace[],
  o: { deliveries: number; warmup: number; concurrencies: number[]; profileDeliveries: number },
  log: (line: string) => void,
): Promise<RealPathResults> {
  const billed = await seedBilling(db.pool, await seedWorkspaces(db.pool, floorWorkspaces.length, '001'));
  const sink = await startSmtpSinkProcess();
  const app = await startAppProcess({ databaseUrl: db.url, smtpPort: sink.port, secrets: REAL_SECRETS });
  const naive = await startNaiveProcess({ databaseUrl: db.url, secrets: REAL_SECRETS });
  const results: RealPathResults = { deliveries: o.deliveries, rounds: ROUNDS, points: [], floor: [] };
  try {
    log(`real path: warm-up (${o.warmup} deliveries per processor to each)`);
    for (const processor of REAL_PROCESSORS) await measurePoint(db, app, naive, billed[processor], o.warmup, 4);
    for (const c of o.concurrencies) {
      for (const processor of REAL_PROCESSORS) {
        const point = await measurePoint(db, app, naive, billed[processor], o.deliveries, c);
        results.points.push(point);
        const errors = point.ours.errors + point.naive.errors;
        log(
          `  ${processor} c=${c}: ours ${point.ours.perSecond.toFixed(1)}/s p99 ${point.ours.latency.p99.toFixed(0)} ms, naive ${point.naive.perSecond.toFixed(0)}/s; ` +
            `ratio ${(point.ours.perSecond / point.naive.perSecond).toFixed(2)}; end to end ${point.outbox.endToEndPerSecond.toFixed(1)}/s; outbox drain ${point.outbox.drainPerSecond.toFixed(0)} emails/s` +
            (errors ? `; errors ${point.ours.errors}/${point.naive.errors}: ${point.ours.firstError ?? point.naive.firstError}` : ''),
        );
      }
      const floor = await measureFloor(db, floorWorkspaces, o.deliveries, c);
      results.floor.push(floor);
      log(`  floor c=${c}: ${floor.figures.perSecond.toFixed(0)}/s`);
    }
    log('real path: statements per delivery (pg_stat_statements), Stripe at concurrency 4');
    const ours = await resetStatements(db.pool);
    await runRound(db, app, oursRoute, buildRealDeliveries(billed.stripe, o.profileDeliveries), 4, true);
    const oursStatements = await readStatements(db.pool, ours, o.profileDeliveries);
    const peer = await resetStatements(db.pool);
    await runRound(db, naive, naiveRoute, buildRealDeliveries(billed.stripe, o.profileDeliveries), 4, false);
    results.statements = { ours: oursStatements, naive: await readStatements(db.pool, peer, o.profileDeliveries), deliveries: o.profileDeliveries };
    log('real path: duplicates (every credit pack delivered twice)');
    results.duplicates = await measureDuplicates(db, app, naive, billed.stripe, 100);
  } finally {
    await naive.stop();
    await app.stop();
  }
  try {
    results.profile = await profileApp(db, sink.port, billed.stripe, o.profileDeliveries, log);
  } finally {
    await sink.stop();
  }
  return results;
}

/** A second app process under `--cpu-prof`: Stripe deliveries at concurrency 4 and their emails, then stopped. */
async function profileApp(db: BenchDatabase, smtpPort: number, billed: BilledAt[], count: number, log: (line: string) => void): Promise<RealPathResults['profile']> {
  log('real path: CPU profile of the app (node --cpu-prof), Stripe at concurrency 4');
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-bench-prof-'));
  const app = await startAppProcess({ databaseUrl: db.url, smtpPort, secrets: REAL_SECRETS, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  let window;
  try {
    await runRound(db, app, oursRoute, buildRealDeliveries(billed, Math.min(200, count)), 4, true);
    const fromMs = nowMs();
    await runRound(db, app, oursRoute, buildRealDeliveries(billed, count), 4, true);
    window = { fromMs, toMs: nowMs() };
  } finally {
    await app.stop();
  }
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) throw new Error(`node --cpu-prof wrote no profile in ${dir}`);
  // Only the measured round: start-up (tsx compiling the app) and the warm-up fall outside the window.
  const summary = summarizeProfile(path.join(dir, file), count, window!);
  rmSync(dir, { recursive: true, force: true });
  return { summary, deliveries: count, concurrency: 4 };
}
