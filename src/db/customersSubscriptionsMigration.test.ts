import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, expect, inject, it } from 'vitest';
import { findBilledWorkspace } from '../payment/workspaceBilling.js';
import { adminQuery } from '../test/testDatabase.js';
import { createPrismaClient } from './client.js';
import { migrate, readMigrations } from './migrate.js';

// Billing model v2 moves each workspace's customer and subscription columns into Customer and
// Subscription records. Rows are written as the version before it wrote them, the migration runs, and
// each workspace's billing must read back as it was.
const V2 = '20261202160000_customers_subscriptions';

const adminUrl = inject('postgresAdminUrl');
const name = `test_${randomUUID().replaceAll('-', '')}`;
const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
const before = mkdtempSync(path.join(tmpdir(), 'migrations-before-v2-'));
afterAll(async () => {
  rmSync(before, { recursive: true, force: true });
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
});

const at = (iso: string) => new Date(iso);
// As the version before v2 stored them: [id, processor, customer, subscription, plan, status, cancel, period end, trial end, updated, pending, past due since, grace expired]
const OLD_ROWS = [
  ['w_stripe', 'stripe', 'cus_1', 'sub_1', 'pro', 'active', true, at('2026-12-30T00:00:00Z'), null, at('2026-11-30T10:00:00Z'), 'hobby', null, null],
  ['w_ls_a', 'lemonsqueezy', '77', '901', 'hobby', 'past_due', false, at('2026-12-15T00:00:00Z'), at('2026-11-01T00:00:00Z'), at('2026-11-20T00:00:00Z'), null, at('2026-11-20T00:00:00Z'), at('2026-11-28T00:00:00Z')],
  // one Lemon Squeezy customer per email: a second workspace of the same buyer shares it
  ['w_ls_b', 'lemonsqueezy', '77', null, null, null, false, null, null, null, null, null, null],
  // a subscription state that arrived before any checkout linked a customer
  ['w_sub_only', 'stripe', null, 'sub_2', 'hobby', 'canceled', false, null, null, at('2026-10-01T00:00:00Z'), null, null, null],
  ['w_none', null, null, null, null, null, false, null, null, null, null, null, null],
] as const;

it('moves each workspace’s customer and subscription into their records, every field kept, and drops the columns', async () => {
  for (const m of readMigrations().filter((m) => m.name < V2)) {
    mkdirSync(path.join(before, m.name));
    writeFileSync(path.join(before, m.name, 'migration.sql'), m.sql);
  }
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  await migrate(url, before);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const row of OLD_ROWS) {
      await client.query(
        `INSERT INTO "Workspace" (id, name, credits, "trialUsedAt", "paymentProcessor", "processorCustomerId", "subscriptionId", "subscriptionPlan", "subscriptionStatus",
           "cancelAtPeriodEnd", "currentPeriodEnd", "trialEnd", "subscriptionUpdatedAt", "pendingPlan", "pastDueSince", "graceExpiredAt")
         VALUES ($1, $1, 7, $9, $2, $3, $4, $5, $6::"SubscriptionStatus", $7, $8, $9, $10, $11, $12, $13)`,
        [...row],
      );
    }
    expect(await migrate(url)).toEqual([V2, ...readMigrations().map((m) => m.name).filter((n) => n > V2)]);
    const columns = await client.query(`SELECT column_name FROM information_schema.columns WHERE table_name = 'Workspace' ORDER BY 1`);
    expect(columns.rows.map((r) => r.column_name)).toEqual(['createdAt', 'credits', 'datePaid', 'id', 'name', 'trialEndingNotifiedAt', 'trialUsedAt']);
  } finally {
    await client.end();
  }

  const prisma = createPrismaClient(url);
  try {
    expect(await prisma.customer.count()).toBe(3);
    expect(await prisma.subscription.count()).toBe(3);
    for (const [id, processor, customer, subscription, plan, status, cancel, periodEnd, trialEnd, updated, pending, pastDue, grace] of OLD_ROWS) {
      const billed = await findBilledWorkspace(prisma, id);
      expect(billed, id).toMatchObject({
        id,
        credits: 7,
        trialUsedAt: trialEnd,
        paymentProcessor: customer || subscription ? processor : null,
        processorCustomerId: customer,
        subscriptionId: subscription,
        subscriptionPlan: plan,
        subscriptionStatus: status,
        cancelAtPeriodEnd: cancel,
        currentPeriodEnd: periodEnd,
        trialEnd,
        subscriptionUpdatedAt: updated,
        pendingPlan: pending,
        pastDueSince: pastDue,
        graceExpiredAt: grace,
      });
    }
  } finally {
    await prisma.$disconnect();
  }
});
