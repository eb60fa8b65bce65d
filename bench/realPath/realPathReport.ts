// The real path's part of docs/PERFORMANCE.md: ours beside the naive peer and the floor, the outbox,
// the targets of issue 16, statements per delivery and the app's CPU profile.
import { table } from '../report.js';
import { fmtCount, fmtMs, fmtRate } from '../stats.js';
import type { RealPathResults } from './realPath.js';

export const REAL_TARGET = { floorRatio: 0.6, naiveRatio: 0.5, p99Ms: 100, p99Concurrency: 16 };

const floorAt = (r: RealPathResults, c: number) => r.floor.find((f) => f.concurrency === c)?.figures.perSecond ?? NaN;
const ratio = (a: number, b: number) => (a / b).toFixed(2);

function pointsTable(r: RealPathResults): string {
  return table(
    ['processor', 'concurrency', 'ours events/s', 'naive events/s', 'floor events/s', 'ours ÷ naive', 'ours ÷ floor', 'ours p50 / p99 ms', 'naive p99 ms', 'ours Node CPU ms/delivery', 'naive', 'ours PostgreSQL CPU ms/delivery', 'naive', 'errors'],
    r.points.map((p) => [
      p.processor,
      p.concurrency,
      fmtRate(p.ours.perSecond),
      fmtRate(p.naive.perSecond),
      fmtRate(floorAt(r, p.concurrency)),
      ratio(p.ours.perSecond, p.naive.perSecond),
      ratio(p.ours.perSecond, floorAt(r, p.concurrency)),
      `${fmtMs(p.ours.latency.p50)} / ${fmtMs(p.ours.latency.p99)}`,
      fmtMs(p.naive.latency.p99),
      fmtMs(p.ours.nodeCpuMs),
      fmtMs(p.naive.nodeCpuMs),
      fmtMs(p.ours.postgresCpuMs),
      fmtMs(p.naive.postgresCpuMs),
      p.ours.errors + p.naive.errors,
    ]),
  );
}

function outboxTable(r: RealPathResults): string {
  return table(
    ['processor', 'concurrency', 'emails', 'deliveries/s until their emails were sent', 'outbox emails/s with no deliveries arriving', 'emails in that drain', 'app CPU ms per email'],
    r.points.map((p) => [p.processor, p.concurrency, fmtCount(p.outbox.emails), fmtRate(p.outbox.endToEndPerSecond), fmtRate(p.outbox.drainPerSecond), fmtCount(p.outbox.drainEmails), fmtMs(p.outbox.nodeCpuMsPerEmail)]),
  );
}

function floorTable(r: RealPathResults): string {
  return table(
    ['concurrency', 'floor events/s', 'p99 ms', 'bench process CPU ms/delivery', 'PostgreSQL CPU ms/delivery'],
    r.floor.map((f) => [f.concurrency, fmtRate(f.figures.perSecond), fmtMs(f.figures.latency.p99), fmtMs(f.figures.nodeCpuMs), fmtMs(f.figures.postgresCpuMs)]),
  );
}

interface TargetRow {
  target: string;
  met: boolean;
  measured: string;
}

export function realTargets(r: RealPathResults): TargetRow[] {
  const rows: TargetRow[] = [];
  for (const p of r.points) {
    const floor = floorAt(r, p.concurrency);
    rows.push({ target: `${p.processor} c${p.concurrency}: ≥ ${REAL_TARGET.floorRatio} of the floor`, met: p.ours.perSecond / floor >= REAL_TARGET.floorRatio, measured: ratio(p.ours.perSecond, floor) });
    rows.push({ target: `${p.processor} c${p.concurrency}: ≥ ${REAL_TARGET.naiveRatio} of the naive handler`, met: p.ours.perSecond / p.naive.perSecond >= REAL_TARGET.naiveRatio, measured: ratio(p.ours.perSecond, p.naive.perSecond) });
  }
  for (const p of r.points.filter((x) => x.concurrency === REAL_TARGET.p99Concurrency)) {
    rows.push({ target: `${p.processor} c${p.concurrency}: p99 < ${REAL_TARGET.p99Ms} ms`, met: p.ours.latency.p99 < REAL_TARGET.p99Ms, measured: `${fmtMs(p.ours.latency.p99)} ms` });
    rows.push({
      target: `${p.processor} c${p.concurrency}: outbox emails/s ≥ deliveries/s`,
      met: p.outbox.drainPerSecond >= p.ours.perSecond,
      measured: `${fmtRate(p.outbox.drainPerSecond)} emails/s vs ${fmtRate(p.ours.perSecond)} deliveries/s`,
    });
  }
  if (r.duplicates) {
    rows.push({ target: `${r.duplicates.deliveries} credit packs each delivered twice: 0 extra credits`, met: r.duplicates.oursExtraCredits === 0, measured: `ours ${r.duplicates.oursExtraCredits}, naive ${r.duplicates.naiveExtraCredits}` });
  }
  return rows;
}

export function realTargetsTable(r: RealPathResults): string {
  return table(['target (issue 16)', 'measured', 'met'], realTargets(r).map((t) => [t.target, t.measured, t.met ? 'yes' : '**no**']));
}

function statementsTable(profile: NonNullable<RealPathResults['statements']>['ours']): string {
  return table(
    ['statement', 'calls/delivery', 'rows/call', 'exec ms/delivery', 'WAL bytes/delivery'],
    profile.top.map((s) => [`\`${s.query.length > 140 ? `${s.query.slice(0, 140)}…` : s.query}\``.replaceAll('|', '\\|'), s.callsPerDelivery.toFixed(2), s.rowsPerCall.toFixed(1), fmtMs(s.msPerDelivery), fmtCount(Math.round(s.walBytesPerDelivery))]),
  );
}

function profileTables(profile: NonNullable<RealPathResults['profile']>): string {
  const rows = (list: typeof profile.summary.areas) => list.map((a) => [`\`${a.name}\``, fmtMs(a.msPerDelivery), `${(a.share * 100).toFixed(1)} %`]);
  return `Self time by area (${fmtMs(profile.summary.totalMsPerDelivery)} ms of CPU per delivery in the profile, idle left out):

${table(['area', 'ms/delivery', 'share'], rows(profile.summary.areas))}

Self time by function:

${table(['function', 'ms/delivery', 'share'], rows(profile.summary.functions))}`;
}

export function renderRealPath(r: RealPathResults): string {
  const parts = [
    `## Real path: Stripe and Lemon Squeezy deliveries, emails sent, durable database

Signed deliveries built from the processors' published shapes (the typed builders of the contract tests:
\`checkout.session.completed\` for a credit pack and \`customer.subscription.updated\` from Stripe, \`order_created\` and
\`subscription_updated\` from Lemon Squeezy), 70 % credit packs, 30 % subscription changes (every second one a
cancellation that emails the owners), round-robin over the workspaces billed at that processor, POSTed over HTTP
(keep-alive, one socket per sender, closed loop) to:

- **ours**: the app as \`npm start\` runs it, in its own process (\`bench/realPath/processes.ts\`), on this run's
  PostgreSQL with fsync on, its outbox dispatcher sending every email to an SMTP server in a third process;
- **naive**: \`bench/realPath/naiveServer.ts\`, in its own process, written the way open-saas writes its handler:
  \`constructEvent\` (or the HMAC check), a switch, one Prisma update; no dedupe, no transaction, no audit, no email;
- **floor**: the same rows ours writes, by bare SQL with \`pg\` from the bench process (\`bench/floor.ts\`).

${fmtCount(r.deliveries)} deliveries per point for ours and for naive, in ${r.rounds} interleaved halves (ours, naive, ours, naive). Ours
is timed to the last answer; then the bench waits for the outbox to drain before the next run, so the CPU columns
hold everything a delivery causes, its emails included. CPU is read from \`/proc\` for the app's process and for
PostgreSQL's (postmaster and backends). pg_stat_statements is loaded for every run.

${pointsTable(r)}

### Emails

${outboxTable(r)}

### Floor

${floorTable(r)}

### Targets

${realTargetsTable(r)}`,
  ];
  if (r.duplicates) {
    parts.push(`Correctness beside it: ${r.duplicates.deliveries} Stripe credit packs each delivered twice granted ${r.duplicates.oursExtraCredits} extra credits through ours and ${fmtCount(r.duplicates.naiveExtraCredits)} through the naive handler.`);
  }
  if (r.statements) {
    const s = r.statements;
    parts.push(`### Statements per delivery (pg_stat_statements, ${fmtCount(s.deliveries)} Stripe deliveries at concurrency 4)

Ours: ${s.ours.statementsPerDelivery.toFixed(1)} statements, ${fmtMs(s.ours.msPerDelivery)} ms of execution and ${fmtCount(Math.round(s.ours.walBytesPerDelivery))} WAL bytes per delivery (emails included). Naive: ${s.naive.statementsPerDelivery.toFixed(1)} statements, ${fmtMs(s.naive.msPerDelivery)} ms, ${fmtCount(Math.round(s.naive.walBytesPerDelivery))} WAL bytes.

${statementsTable(s.ours)}

Naive:

${statementsTable(s.naive)}`);
  }
  if (r.profile) {
    parts.push(`### The app's CPU profile (\`node --cpu-prof\`, ${fmtCount(r.profile.deliveries)} Stripe deliveries at concurrency ${r.profile.concurrency} and their emails)

${profileTables(r.profile)}`);
  }
  return parts.join('\n\n');
}

export function realPathConsole(r: RealPathResults): string {
  return `Real path (ours, naive, floor)\n${pointsTable(r)}\n\nEmails\n${outboxTable(r)}\n\nTargets (issue 16)\n${realTargetsTable(r)}`;
}

