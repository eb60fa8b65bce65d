// Grows the tables to a level fast, with INSERT ... SELECT generate_series (one statement per chunk).
import type pg from 'pg';
import { nowMs } from './stats.js';

/** Bulk history ends here and runs backwards, one audit event every HISTORY_STEP_MS (1M events ≈ 347 days). */
export const HISTORY_END = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000);
export const HISTORY_STEP_MS = 30_000;

// One in 20 of each, so families have known shares: payment.* 40 %, subscription.* 25 %, checkout.* 15 %;
// and one event in 1,000 is a rare user.signed_up (replacing that slot's action).
const ACTIONS = [
  'payment.succeeded', 'payment.succeeded', 'payment.succeeded', 'payment.succeeded', 'payment.succeeded', 'payment.succeeded',
  'payment.failed', 'payment.refunded',
  'subscription.updated', 'subscription.updated', 'subscription.updated', 'subscription.ended', 'subscription.event_ignored',
  'checkout.created', 'checkout.created', 'checkout.completed',
  'credits.spent', 'credits.spent', 'member.added', 'portal.opened',
];
export const ACTION_SHARE = (prefix: string) => ACTIONS.filter((a) => a.startsWith(prefix)).length / ACTIONS.length;
const USER_ACTIONS = new Set(['checkout.created', 'credits.spent', 'member.added', 'portal.opened']);
const ACTOR_IS_USER = ACTIONS.map((a) => USER_ACTIONS.has(a));

const CHUNK = 100_000;

export interface GrowthState {
  /** Bulk rows inserted so far per table (the g of generate_series continues from here). */
  audit: number;
  other: number;
}

export async function count(pool: pg.Pool, table: string): Promise<number> {
  return Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "${table}"`)).rows[0]!.n);
}

/**
 * Tops AuditEvent up to `auditTarget` rows (spread round-robin over the first `workspaces` bench
 * workspaces) and WebhookDelivery, Payment, CreditLedger and EmailOutbox up to `otherTarget` rows each,
 * then VACUUM ANALYZE (what autovacuum would do after such a load). Returns the seconds spent.
 */
export async function growTo(pool: pg.Pool, state: GrowthState, auditTarget: number, otherTarget: number, workspaces: number, log: (line: string) => void): Promise<{ seconds: number; audit: number }> {
  const start = nowMs();
  const wsId = (g: string) => `'00000000-0000-4000-8000-' || lpad((1 + (${g} % ${workspaces}))::text, 12, '0')`;
  const userId = (g: string) => `'bench-000-user-' || (1 + (${g} % ${workspaces}))`;
  const at = (g: string) => `$3::timestamptz - (${g} * interval '${HISTORY_STEP_MS} milliseconds')`;

  const auditMissing = auditTarget - (await count(pool, 'AuditEvent'));
  for (let done = 0; done < auditMissing; done += CHUNK) {
    const from = state.audit + 1;
    const to = state.audit + Math.min(CHUNK, auditMissing - done);
    await pool.query(
      `INSERT INTO "AuditEvent" (id, "workspaceId", "actorType", "actorId", action, "actionFamily", target, metadata, "createdAt")
       SELECT id, "workspaceId", "actorType", "actorId", action, substr(action, 1, strpos(action, '.')), target, metadata, "createdAt" FROM (
         SELECT gen_random_uuid()::text AS id, ${wsId('g')} AS "workspaceId",
                CASE WHEN g % 1000 = 999 OR ($4::boolean[])[1 + g % 20] THEN 'user' ELSE 'processor' END AS "actorType",
                CASE WHEN g % 1000 = 999 OR ($4::boolean[])[1 + g % 20] THEN ${userId('g')} ELSE 'fake' END AS "actorId",
                CASE WHEN g % 1000 = 999 THEN 'user.signed_up' ELSE ($5::text[])[1 + g % 20] END AS action, 'bulk_' || g AS target,
                jsonb_build_object('amount', 900 + g % 100, 'currency', 'usd', 'planId', 'credits10') AS metadata,
                ${at('g')} AS "createdAt"
         FROM generate_series($1::int, $2::int) g) rows`,
      [from, to, HISTORY_END, ACTOR_IS_USER, ACTIONS],
    );
    state.audit = to;
    log(`  audit events: ${to.toLocaleString('en-US')} bulk rows`);
  }

  const otherMissing = otherTarget - (await count(pool, 'WebhookDelivery'));
  for (let done = 0; done < otherMissing; done += CHUNK) {
    const params = [state.other + 1, state.other + Math.min(CHUNK, otherMissing - done), HISTORY_END];
    const series = `FROM generate_series($1::int, $2::int) g`;
    await pool.query(
      `INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, attempts, payload, "receivedAt", "processedAt")
       SELECT gen_random_uuid()::text, 'fake', 'evt_bulk_' || g, 'payment.succeeded', 'processed', 1,
              jsonb_build_object('id', 'evt_bulk_' || g, 'type', 'payment.succeeded', 'data', jsonb_build_object(
                'ref', jsonb_build_object('workspaceId', ${wsId('g')}),
                'money', jsonb_build_object('moneyId', 'pi_bulk_' || g, 'amount', 990, 'currency', 'usd'),
                'planId', 'credits10', 'paidAt', ${at('g')})),
              ${at('g')}, ${at('g')}
       ${series}`,
      params,
    );
    await pool.query(
      `INSERT INTO "Payment" (id, "workspaceId", processor, "moneyId", status, amount, currency, "planId", "occurredAt", "createdAt")
       SELECT gen_random_uuid()::text, ${wsId('g')}, 'fake', 'pi_bulk_' || g, 'succeeded', 990, 'usd', 'credits10', ${at('g')}, ${at('g')} ${series}`,
      params,
    );
    await pool.query(
      `INSERT INTO "CreditLedger" (id, "workspaceId", amount, reason, processor, "moneyId", "createdAt")
       SELECT gen_random_uuid()::text, ${wsId('g')}, 10, 'purchase:credits10', 'fake', 'pi_bulk_' || g, ${at('g')} ${series}`,
      params,
    );
    await pool.query(
      `INSERT INTO "EmailOutbox" (id, recipient, template, data, status, attempts, "nextAttemptAt", "sentAt", "createdAt")
       SELECT gen_random_uuid()::text, 'owner-000-' || (1 + (g % ${workspaces})) || '@bench.example', 'credits_purchased',
              jsonb_build_object('workspaceName', 'Bench', 'credits', 10, 'balance', 10, 'amount', 990, 'currency', 'usd'),
              'sent', 1, ${at('g')}, ${at('g')}, ${at('g')} ${series}`,
      params,
    );
    state.other = params[1] as number;
    log(`  deliveries, payments, ledger, outbox: ${state.other.toLocaleString('en-US')} bulk rows each`);
  }
  await pool.query('VACUUM ANALYZE');
  return { seconds: (nowMs() - start) / 1000, audit: await count(pool, 'AuditEvent') };
}
