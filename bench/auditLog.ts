// Audit log reads: getAuditEvents called directly with an operation context (as a site admin and as a
// workspace owner), first / middle / last page by keyset cursor, and the same pages by OFFSET.
import http from 'node:http';
import type pg from 'pg';
import { encodeCursor } from '../src/audit/auditCursor.js';
import { createSession, SESSION_COOKIE } from '../src/auth/sessions.js';
import { actionFilter, getAuditEvents } from '../src/audit/getAuditEvents.js';
import { db } from '../src/db/client.js';
import type { Prisma } from '../src/db/generated/client.js';
import type { AuthUser, OperationContext } from '../src/server/operationContext.js';
import { HISTORY_END, HISTORY_STEP_MS } from './bulkLoad.js';
import { captureQueries, type BenchDatabase, type Seed } from './database.js';
import { postJson } from './pipeline.js';
import { sample, type Summary } from './stats.js';

const LIMIT = 50;

export interface AuditArgs {
  workspaceId?: string;
  action?: string;
  from?: string;
  to?: string;
}

export interface AuditCase {
  label: string;
  who: 'site admin' | 'owner';
  args: AuditArgs;
}

export type PageName = 'first' | 'middle' | 'last';

export interface AuditMeasurement {
  case: string;
  who: string;
  matching: number;
  page: PageName;
  pageNumber: number;
  keyset: Summary;
  /** The same page by OFFSET (first page: the keyset figure, no cursor needed). */
  offset?: Summary;
}

export interface AuditPlan {
  title: string;
  sql: string;
  params: string;
  plan: string;
}

export function auditCases(seed: Seed, level: number): AuditCase[] {
  const workspaceId = seed.workspaces[0]!.id;
  // A 24 h window in the middle of the bulk history (2,880 events at one every 30 s).
  const middle = HISTORY_END.getTime() - Math.floor(level / 2) * HISTORY_STEP_MS;
  const from = new Date(middle - 12 * 3_600_000).toISOString();
  const to = new Date(middle + 12 * 3_600_000).toISOString();
  return [
    { label: 'unfiltered', who: 'site admin', args: {} },
    { label: 'by workspace', who: 'site admin', args: { workspaceId } },
    { label: 'action family payment.*', who: 'site admin', args: { action: 'payment.*' } },
    { label: 'rare action family user.*', who: 'site admin', args: { action: 'user.*' } },
    { label: 'exact action portal.opened', who: 'site admin', args: { action: 'portal.opened' } },
    { label: 'date range (24 h)', who: 'site admin', args: { from, to } },
    { label: 'own workspace', who: 'owner', args: { workspaceId } },
    { label: 'own workspace, payment.*', who: 'owner', args: { workspaceId, action: 'payment.*' } },
  ];
}

/** The same filter getAuditEvents builds, for counting and for the OFFSET comparison. */
function whereOf(args: AuditArgs): Prisma.AuditEventWhereInput {
  return {
    workspaceId: args.workspaceId,
    ...actionFilter(args.action),
    createdAt: { gte: args.from ? new Date(args.from) : undefined, lte: args.to ? new Date(args.to) : undefined },
  };
}

const ORDER: Prisma.AuditEventOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }];

function contextFor(seed: Seed, c: AuditCase): OperationContext {
  const owner = seed.workspaces[0]!;
  const user: AuthUser = c.who === 'site admin' ? seed.admin : { id: owner.ownerId, email: owner.ownerEmail, isAdmin: false };
  return { user, entities: db() };
}

function offsetPage(where: Prisma.AuditEventWhereInput, skip: number) {
  return db().auditEvent.findMany({ where, orderBy: ORDER, skip, take: LIMIT + 1 });
}

interface PreparedPage {
  page: PageName;
  pageNumber: number;
  skip: number;
  cursor?: string;
}

// Counting and finding the cursors of deep pages is itself slow at 1M events: done once per case and size.
const prepared = new Map<string, { matching: number; pages: PreparedPage[] }>();

async function preparePages(c: AuditCase): Promise<{ matching: number; pages: PreparedPage[] }> {
  const key = JSON.stringify(c) + (await db().auditEvent.count());
  const cached = prepared.get(key);
  if (cached) return cached;
  const result = await computePages(c);
  prepared.set(key, result);
  return result;
}

async function computePages(c: AuditCase): Promise<{ matching: number; pages: PreparedPage[] }> {
  const where = whereOf(c.args);
  const matching = await db().auditEvent.count({ where });
  const lastSkip = Math.max(0, Math.floor((matching - 1) / LIMIT) * LIMIT);
  const middleSkip = Math.floor(matching / 2 / LIMIT) * LIMIT;
  const pages: PreparedPage[] = [];
  for (const [page, skip] of [['first', 0], ['middle', middleSkip], ['last', lastSkip]] as const) {
    if (page !== 'first' && (skip === 0 || pages.some((p) => p.skip === skip))) continue;
    // The cursor a client holds after reading every page before this one: the previous page's last event.
    const previous = skip > 0 ? (await db().auditEvent.findMany({ where, orderBy: ORDER, skip: skip - 1, take: 1, select: { createdAt: true, id: true } }))[0] : undefined;
    pages.push({ page, pageNumber: skip / LIMIT + 1, skip, cursor: previous ? encodeCursor(previous) : undefined });
  }
  return { matching, pages };
}

export async function measureAuditReads(seed: Seed, level: number, opts: { min: number; max: number; budgetMs: number }, log: (line: string) => void): Promise<AuditMeasurement[]> {
  const results: AuditMeasurement[] = [];
  for (const c of auditCases(seed, level)) {
    const context = contextFor(seed, c);
    const where = whereOf(c.args);
    const { matching, pages } = await preparePages(c);
    for (const p of pages) {
      const args = { ...c.args, limit: LIMIT, ...(p.cursor && { cursor: p.cursor }) };
      // Both ways must return the same page, or the comparison means nothing.
      const ids = (rows: { id: string }[]) => rows.slice(0, LIMIT).map((e) => e.id).join();
      const viaOffset = ids(await offsetPage(where, p.skip));
      if (ids((await getAuditEvents(args, context)).events) !== viaOffset) throw new Error(`audit ${c.label} ${p.page} page: keyset and OFFSET pages differ`);
      const keyset = await sample(() => getAuditEvents(args, context), opts);
      const offset = p.skip > 0 ? await sample(() => offsetPage(where, p.skip), opts) : undefined;
      results.push({ case: c.label, who: c.who, matching, page: p.page, pageNumber: p.pageNumber, keyset, offset });
      log(
        `  ${c.who} ${c.label} ${p.page} page (#${p.pageNumber}): keyset p95 ${keyset.p95.toFixed(2)} ms` +
          (offset ? `, OFFSET p95 ${offset.p95.toFixed(2)} ms` : ''),
      );
    }
  }
  return results;
}

/** EXPLAIN (ANALYZE, BUFFERS) of the SELECT Prisma sends for a few representative reads. */
export async function explainAuditReads(database: BenchDatabase, seed: Seed, level: number): Promise<AuditPlan[]> {
  const wanted: [string, PageName, 'keyset' | 'offset'][] = [
    ['unfiltered', 'first', 'keyset'],
    ['unfiltered', 'middle', 'keyset'],
    ['unfiltered', 'middle', 'offset'],
    ['unfiltered', 'last', 'keyset'],
    ['own workspace', 'middle', 'keyset'],
    ['action family payment.*', 'middle', 'keyset'],
    ['rare action family user.*', 'first', 'keyset'],
    ['exact action portal.opened', 'middle', 'keyset'],
    ['date range (24 h)', 'middle', 'keyset'],
    ['own workspace, payment.*', 'middle', 'keyset'],
  ];
  const how_ = { keyset: 'keyset cursor (getAuditEvents)', offset: 'OFFSET' };
  const cases = auditCases(seed, level);
  const plans: AuditPlan[] = [];
  for (const [label, pageName, how] of wanted) {
    const c = cases.find((x) => x.label === label)!;
    const { pages } = await preparePages(c);
    const p = pages.find((x) => x.page === pageName);
    if (!p) continue;
    const context = contextFor(seed, c);
    const statements = await captureQueries(database, () =>
      how === 'keyset' ? getAuditEvents({ ...c.args, limit: LIMIT, ...(p.cursor && { cursor: p.cursor }) }, context) : offsetPage(whereOf(c.args), p.skip),
    );
    const select = statements.find((s) => s.query.includes('"AuditEvent"'));
    if (!select) continue;
    plans.push({
      title: `${c.who}, ${label}, ${pageName} page (#${p.pageNumber}) by ${how_[how]}`,
      sql: select.query,
      params: select.params,
      plan: await explain(database.pool, select.query, JSON.parse(select.params) as unknown[]),
    });
  }
  return plans;
}

export async function explain(pool: pg.Pool, sql: string, params: unknown[]): Promise<string> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

/** The first page over HTTP (session cookie, JSON, Express) beside the direct call, for the transport's share. */
export async function measureAuditOverHttp(port: number, seed: Seed, level: number, opts: { min: number; max: number; budgetMs: number }): Promise<{ label: string; summary: Summary }[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: { label: string; summary: Summary }[] = [];
  try {
    for (const label of ['unfiltered', 'own workspace']) {
      const c = auditCases(seed, level).find((x) => x.label === label)!;
      const userId = c.who === 'site admin' ? seed.admin.id : seed.workspaces[0]!.ownerId;
      const cookie = `${SESSION_COOKIE}=${await createSession(userId)}`;
      const body = JSON.stringify({ ...c.args, limit: LIMIT });
      const call = async () => {
        const res = await postJson(agent, port, '/operations/getAuditEvents', body, { cookie });
        if (res.status !== 200) throw new Error(`getAuditEvents over HTTP: ${res.status} ${res.body.slice(0, 200)}`);
      };
      out.push({ label: `${c.who}, ${label}, first page, over HTTP`, summary: await sample(call, opts) });
    }
  } finally {
    agent.destroy();
  }
  return out;
}
