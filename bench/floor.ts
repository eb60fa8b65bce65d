// The floor: the same rows a delivery leaves (delivery, payment, ledger, workspace update, audit event,
// outbox rows) written by hand-written parameterized SQL transactions with `pg`, no HTTP, no ORM.
import pg from 'pg';
import type { SeededWorkspace } from './database.js';
import { runClosedLoop, type LoadResult } from './stats.js';
import { buildDeliveries, type Delivery } from './workload.js';

// Never due ('infinity'): on the real path the app's dispatcher shares the database and must not send the floor's emails.
const OWNER_EMAILS = `SELECT gen_random_uuid()::text, u.email, $2, $3::jsonb, 'infinity'::timestamp
  FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE m."workspaceId" = $1 AND m.role = 'owner'`;

async function applyPayment(client: pg.PoolClient, d: Extract<Delivery, { kind: 'payment' }>): Promise<void> {
  const payment = await client.query(
    `INSERT INTO "Payment" (id, "workspaceId", processor, "moneyId", status, amount, currency, "planId", "occurredAt")
     VALUES (gen_random_uuid()::text, $1, 'fake', $2, 'succeeded', $3, 'usd', 'credits10', $4)
     ON CONFLICT (processor, "moneyId") DO NOTHING RETURNING id`,
    [d.workspaceId, d.moneyId, d.amount, d.paidAt],
  );
  if (payment.rowCount === 0) return;
  await client.query(
    `INSERT INTO "CreditLedger" (id, "workspaceId", amount, reason, processor, "moneyId") VALUES (gen_random_uuid()::text, $1, 10, 'purchase:credits10', 'fake', $2)`,
    [d.workspaceId, d.moneyId],
  );
  const { rows } = await client.query<{ name: string; credits: number }>(`UPDATE "Workspace" SET credits = credits + 10 WHERE id = $1 RETURNING name, credits`, [d.workspaceId]);
  const workspace = rows[0]!;
  await client.query(
    `INSERT INTO "AuditEvent" (id, "workspaceId", "actorType", "actorId", action, "actionFamily", target, metadata) VALUES (gen_random_uuid()::text, $1, 'processor', 'fake', 'payment.succeeded', 'payment.', $2, $3::jsonb)`,
    [d.workspaceId, d.moneyId, JSON.stringify({ amount: d.amount, currency: 'usd', planId: 'credits10', creditsGranted: 10 })],
  );
  const email = { workspaceName: workspace.name, credits: 10, balance: workspace.credits, amount: d.amount, currency: 'usd' };
  await client.query(`INSERT INTO "EmailOutbox" (id, recipient, template, data, "nextAttemptAt") ${OWNER_EMAILS}`, [d.workspaceId, 'credits_purchased', JSON.stringify(email)]);
}

interface WorkspaceRow {
  name: string;
  plan: string | null;
  status: string | null;
  cancelAtPeriodEnd: boolean | null;
  processorUpdatedAt: Date | null;
}

async function applySubscription(client: pg.PoolClient, d: Extract<Delivery, { kind: 'subscription' }>): Promise<void> {
  const { rows } = await client.query<WorkspaceRow>(
    `SELECT w.name, s.plan, s.status, s."cancelAtPeriodEnd", s."processorUpdatedAt" FROM "Workspace" w
       LEFT JOIN "Subscription" s ON s."workspaceId" = w.id AND s.processor = 'fake' AND s."subscriptionId" = $2 WHERE w.id = $1 FOR UPDATE OF w`,
    [d.workspaceId, d.subscriptionId],
  );
  const prev = rows[0]!;
  const audit = `INSERT INTO "AuditEvent" (id, "workspaceId", "actorType", "actorId", action, "actionFamily", target, metadata) VALUES (gen_random_uuid()::text, $1, 'processor', 'fake', $2, 'subscription.', $3, $4::jsonb)`;
  if (prev.processorUpdatedAt && prev.processorUpdatedAt > new Date(d.occurredAt)) {
    await client.query(audit, [d.workspaceId, 'subscription.event_ignored', d.subscriptionId, JSON.stringify({ reason: 'older than the stored state' })]);
    return;
  }
  await client.query(
    `INSERT INTO "Subscription" (id, "workspaceId", processor, "subscriptionId", plan, status, "cancelAtPeriodEnd", "currentPeriodEnd", "processorUpdatedAt")
       VALUES (gen_random_uuid()::text, $1, 'fake', $2, 'pro', 'active', $3, $4, $5)
       ON CONFLICT (processor, "subscriptionId") DO UPDATE SET plan = 'pro', status = 'active', "cancelAtPeriodEnd" = $3, "currentPeriodEnd" = $4,
         "trialEnd" = NULL, "pendingPlan" = NULL, "pastDueSince" = NULL, "graceExpiredAt" = NULL, "processorUpdatedAt" = $5`,
    [d.workspaceId, d.subscriptionId, d.cancelAtPeriodEnd, d.currentPeriodEnd, d.occurredAt],
  );
  const metadata = {
    from: { plan: prev.plan, status: prev.status, cancelAtPeriodEnd: prev.cancelAtPeriodEnd ?? false },
    to: { plan: 'pro', status: 'active', cancelAtPeriodEnd: d.cancelAtPeriodEnd, currentPeriodEnd: d.currentPeriodEnd },
  };
  await client.query(audit, [d.workspaceId, 'subscription.updated', d.subscriptionId, JSON.stringify(metadata)]);
  if (!prev.cancelAtPeriodEnd && d.cancelAtPeriodEnd) {
    const email = { workspaceName: prev.name, planName: 'Pro', accessUntil: d.currentPeriodEnd };
    await client.query(`INSERT INTO "EmailOutbox" (id, recipient, template, data, "nextAttemptAt") ${OWNER_EMAILS}`, [d.workspaceId, 'subscription_cancelled', JSON.stringify(email)]);
  }
}

export async function applyFloor(pool: pg.Pool, d: Delivery): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const claimed = await client.query(
      `INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, attempts, payload, "processedAt")
       VALUES (gen_random_uuid()::text, 'fake', $1, $2, 'processed', 1, $3::jsonb, now())
       ON CONFLICT (processor, "eventId") DO NOTHING RETURNING id`,
      [d.eventId, d.kind === 'payment' ? 'payment.succeeded' : 'subscription.changed', d.body],
    );
    if (claimed.rowCount === 1) {
      if (d.kind === 'payment') await applyPayment(client, d);
      else await applySubscription(client, d);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** The app's pool: PrismaPg builds a pg.Pool with pg's default size. */
export const APP_POOL_SIZE = new pg.Pool().options.max ?? 10;

/** The floor's pool size: the app's (BENCH_FLOOR_POOL overrides), never more connections than senders. */
export function floorPoolSize(concurrency: number): number {
  return Math.min(concurrency, Number(process.env.BENCH_FLOOR_POOL) || APP_POOL_SIZE);
}

export async function runFloor(url: string, workspaces: SeededWorkspace[], count: number, concurrency: number): Promise<LoadResult> {
  const deliveries = buildDeliveries(workspaces, count, `f${concurrency}`);
  const pool = await openFloorPool(url, floorPoolSize(concurrency));
  try {
    return await runClosedLoop(deliveries, concurrency, (delivery) => applyFloor(pool, delivery));
  } finally {
    await pool.end();
  }
}

/** A pool with its connections already open, as the app's pool is warm when measured. */
export async function openFloorPool(url: string, max: number): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {});
  const clients = await Promise.all(Array.from({ length: max }, () => pool.connect()));
  for (const client of clients) client.release();
  return pool;
}
