// "What limits the figures": notes computed from this run's measurements, statements and plans, so they
// stay true when the code changes (a note whose evidence is absent is left out).
import type { AuditPlan } from './auditLog.js';
import type { QueryLog } from './database.js';
import type { BenchResults } from './report.js';
import { fmtCount, fmtMs, fmtRate } from './stats.js';

const executionMs = (plan: string) => Number(/Execution Time: ([\d.]+) ms/.exec(plan)?.[1] ?? NaN);
const rowsRemoved = (plan: string) => [...plan.matchAll(/Rows Removed by Filter: (\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
const findPlan = (plans: AuditPlan[] | undefined, ...words: string[]) => plans?.find((p) => words.every((w) => p.title.includes(w)));
const count = (queries: QueryLog[], pattern: RegExp) => queries.filter((q) => pattern.test(q.query)).length;

function pipelineNotes(r: BenchResults): string[] {
  const notes: string[] = [];
  const rows = r.levels[0]?.pipeline ?? [];
  const one = rows.find((x) => x.concurrency === 1);
  const stages = r.breakdown ?? [];
  if (one && rows.length) {
    const best = rows.reduce((a, b) => (b.pipeline.perSecond > a.pipeline.perSecond ? b : a));
    const cpu = best.pipeline.cpuMsPerItem;
    const stageCpu = (prefix: string) => stages.find((x) => x.stage.startsWith(prefix))?.cpuMs ?? NaN;
    const route = stageCpu('HTTP route');
    const inProcess = stageCpu('parseWebhook + applyDelivery');
    const apply = stageCpu('applyDelivery alone');
    const parse = stageCpu('parseWebhook alone');
    const bareHttp = stageCpu('HTTP round trip alone');
    const split = stages.length
      ? ` CPU per delivery by stage (interleaved, concurrency 1): \`applyDelivery\` (engine, Prisma, pg driver) ${fmtMs(apply)} ms, signature check + JSON + zod ` +
        `${fmtMs(parse)} ms, HTTP and Express (route minus in-process) ${fmtMs(route - inProcess)} ms, of which a bare request/response through the route ` +
        `(the load generator's side included) is ${fmtMs(bareHttp)} ms; the floor's transaction ${fmtMs(stageCpu('floor'))} ms.`
      : '';
    notes.push(
      `**The pipeline is CPU-bound in the Node process.** At its best rate (concurrency ${best.concurrency}) it spends ${fmtMs(cpu)} ms of Node CPU per delivery ` +
        `against ${fmtMs(best.floor.cpuMsPerItem)} ms for the floor, so one process cannot apply more than about ${fmtRate(1000 / cpu)} deliveries/s ` +
        `(measured: ${rows.map((x) => `${fmtRate(x.pipeline.perSecond)} at c${x.concurrency}`).join(', ')}); beyond that, concurrency only adds queueing to the latency.${split} ` +
        `The ${fmtCount(1_500)} events/s target needs under ${fmtMs(1000 / 1_500)} ms of CPU per delivery in the app, with PostgreSQL sharing the same cores.`,
    );
  }
  const trips = r.roundTrips ?? [];
  const pgRow = trips.find((t) => t.label.startsWith('pg: SELECT * FROM "Workspace"'));
  const prismaRow = trips.find((t) => t.label.startsWith('Prisma: workspace.findUnique'));
  const pgTx = trips.find((t) => t.label.startsWith('pg: BEGIN; 10'));
  const prismaTx = trips.find((t) => t.label.startsWith('Prisma: $transaction with 10'));
  if (pgRow && prismaRow && pgTx && prismaTx) {
    notes.push(
      `**Each Prisma statement costs several times a bare one.** Reading a workspace by id: ${fmtMs(prismaRow.summary.p50)} ms (${fmtMs(prismaRow.cpuMsPerCall)} ms CPU) through ` +
        `Prisma against ${fmtMs(pgRow.summary.p50)} ms (${fmtMs(pgRow.cpuMsPerCall)} ms CPU) with pg; an interactive transaction of 10 trivial statements ` +
        `${fmtMs(prismaTx.summary.p50)} ms (${fmtMs(prismaTx.cpuMsPerCall)} ms CPU) against ${fmtMs(pgTx.summary.p50)} ms (${fmtMs(pgTx.cpuMsPerCall)} ms CPU). ` +
        `Prisma 7's query compiler and result mapping run in the app's one thread, per statement.`,
    );
  }
  const payment = r.statements?.payment.filter((q) => !/^\s*COMMIT\s*$/i.test(q.query));
  const pgOne = trips.find((t) => t.label === 'pg: SELECT 1');
  if (payment?.length) {
    const extra: string[] = [];
    if (count(payment, /FROM "Workspace" WHERE id = \$1 FOR UPDATE/) && count(payment, /SELECT "(public"\.")?Workspace"\."id", "(public"\.")?Workspace"\."name"/)) {
      extra.push('`resolveWorkspace` locks the workspace (`SELECT id ... FOR UPDATE`) and then reads it again with `findUniqueOrThrow` (one `SELECT * ... FOR UPDATE` would do)');
    }
    if (count(payment, /FROM "(public"\.")?Membership"/) && count(payment, /FROM "(public"\.")?User" WHERE/)) {
      extra.push('`enqueueForWorkspaceOwners` reads the owners\' memberships, then their users (Prisma resolves the nested `select` as a second query), then inserts (one `INSERT ... SELECT` joining Membership and User would do)');
    }
    if (count(payment, /UPDATE "(public"\.")?WebhookDelivery"/)) {
      extra.push('`applyDelivery` inserts the delivery as `processing` and updates it to `processed` at the end of the same transaction (the first write could say `processed`: no other transaction can see the row before commit)');
    }
    notes.push(
      `**Round trips per delivery.** A credit-pack payment sends ${payment.length} statements between BEGIN and COMMIT, ${payment.length + 2} round trips ` +
        `(the floor: 6 statements, 8 round trips). ` +
        (extra.length ? `Avoidable: ${extra.join('; ')}. ` : '') +
        `Every round trip is a send and a receive in the app's one thread` +
        (pgOne ? ` (the cheapest, \`SELECT 1\` through pg, costs ${fmtMs(pgOne.cpuMsPerCall)} ms of CPU on this machine)` : '') +
        ` and a wake-up of a PostgreSQL backend on the same two cores.`,
    );
  }
  return notes;
}

function auditNotes(r: BenchResults): string[] {
  const notes: string[] = [];
  const middle = findPlan(r.plans, 'unfiltered, middle', 'getAuditEvents');
  if (middle && rowsRemoved(middle.plan) > 1_000) {
    notes.push(
      `**The keyset cursor is not an index bound.** \`getAuditEvents\` writes the cursor as \`createdAt < t OR (createdAt = t AND id < i)\`; PostgreSQL cannot turn that OR ` +
        `into a start position on the \`(createdAt, id)\` index, so it scans backwards from the newest event and filters: the unfiltered middle page discarded ` +
        `${fmtCount(rowsRemoved(middle.plan))} rows (${fmtMs(executionMs(middle.plan))} ms in EXPLAIN ANALYZE). Pages get slower the deeper they are, as with OFFSET. ` +
        `The redundant \`createdAt <= t\` in \`getAuditEvents\` is meant to make it an Index Cond: check it is still there.`,
    );
  }
  const rare = findPlan(r.plans, 'rare action family', 'first');
  if (rare && (/Seq Scan/.test(rare.plan) || rowsRemoved(rare.plan) > 10_000)) {
    notes.push(
      `**An action family (\`user.*\`) is not read through its index.** A rare family (0.1 % of events) was found by reading the table: first page ` +
        `${fmtMs(executionMs(rare.plan))} ms in EXPLAIN ANALYZE, ${fmtCount(rowsRemoved(rare.plan))} rows discarded. \`getAuditEvents\` filters a family by the ` +
        `\`actionFamily\` equality so the \`(actionFamily, createdAt, id)\` index serves it (a LIKE on \`action\` cannot use a btree under the collation ` +
        `${r.postgresSettings?.datcollate ?? '(see Machine)'}): check the filter and the index.`,
    );
  }
  return notes;
}

function operationNotes(r: BenchResults): string[] {
  const o = r.operations;
  if (!o) return [];
  const billing = o.statements.find((s) => s.label === 'getWorkspaceBilling');
  const next = o.statements.find((s) => s.label.endsWith('next'));
  const notes: string[] = [];
  // Two statements, not one joined statement naming both tables.
  const workspaceAlone = billing?.queries.filter((q) => /FROM "(public"\.")?Workspace"/.test(q.query) && !/"Membership"/.test(q.query)).length ?? 0;
  if (billing && count(billing.queries, /FROM "(public"\.")?Membership"/) && workspaceAlone) {
    notes.push(
      `**\`requireWorkspaceRole\` is two statements.** \`membership.findUnique({ include: { workspace: true } })\` is sent as a Membership query and then a ` +
        `Workspace query (Prisma 7 without the relationJoins preview). Every operation pays it: getWorkspaceBilling sends ${billing.queries.length} statements` +
        (next ? `, a repeat checkout ${next.queries.length} (plus the Stripe call)` : '') +
        `. One join (or \`relationJoins\`) would halve the reads.`,
    );
  }
  return notes;
}

export function findings(r: BenchResults): string[] {
  return [...pipelineNotes(r), ...auditNotes(r), ...operationNotes(r)];
}
