import { createServer } from 'node:net';
import pg from 'pg';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { db } from '../db/client.js';
import { dispatchDueEmails } from '../email/dispatcher.js';
import { startSmtpCapture } from '../email/smtpCapture.js';
import { createMailTransport } from '../email/transport.js';
import { paymentFailed, paymentSucceeded, subscriptionChanged } from '../test/fakeEvents.js';
import { startTestServer, type TestServer } from '../test/testServer.js';

// Faults mid-delivery: a failing statement, a dropped database connection, SMTP down.

let t: TestServer;
let dbName: string;
beforeAll(async () => {
  t = await startTestServer();
  [{ current_database: dbName }] = (await db().$queryRaw<{ current_database: string }[]>`SELECT current_database()`) as [{ current_database: string }];
});

async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const url = new URL(inject('postgresAdminUrl'));
  url.pathname = `/${dbName}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function effects(workspaceId: string, moneyId: string) {
  return {
    credits: (await t.workspace(workspaceId)).credits,
    payments: await db().payment.count({ where: { moneyId } }),
    ledger: await db().creditLedger.count({ where: { workspaceId } }),
    audit: await db().auditEvent.count({ where: { workspaceId, actorType: 'processor' } }),
  };
}

describe('a statement failing mid-event', () => {
  it('answers 500, writes nothing, and the redelivery applies exactly once', async () => {
    const owner = await t.signup(`fault-stmt-${Date.now()}@example.com`);
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: 'in_fault_stmt', planId: 'credits10' });
    // The ledger insert sits in the middle of the event: payment row written before it, balance, audit and email after.
    await admin(`CREATE FUNCTION fail_ledger() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'ledger disk full'; END $$ LANGUAGE plpgsql`);
    await admin(`CREATE TRIGGER fail_ledger BEFORE INSERT ON "CreditLedger" FOR EACH ROW EXECUTE FUNCTION fail_ledger()`);
    try {
      expect((await t.webhook(delivery)).status).toBe(500);
      expect((await t.webhook(delivery)).status).toBe(500); // the processor's retry while still broken
    } finally {
      await admin(`DROP TRIGGER fail_ledger ON "CreditLedger"; DROP FUNCTION fail_ledger()`);
    }
    expect(await effects(owner.workspaceId, 'in_fault_stmt')).toMatchObject({ credits: 0, payments: 0, ledger: 0, audit: 0 });
    expect(await db().emailOutbox.count({ where: { recipient: owner.email } })).toBe(0);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: delivery.id } })).toMatchObject({ status: 'failed', attempts: 2 });

    expect((await t.webhook(delivery)).status).toBe(200);
    expect(await t.webhook(delivery)).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await effects(owner.workspaceId, 'in_fault_stmt')).toMatchObject({ credits: 10, payments: 1, ledger: 1, audit: 1 });
    expect(await db().emailOutbox.count({ where: { recipient: owner.email } })).toBe(1);
  });
});

describe('the database connection dropped mid-delivery', () => {
  it('answers non-2xx when the backend holding the workspace lock is terminated; the redelivery applies once', async () => {
    const owner = await t.signup(`fault-conn-${Date.now()}@example.com`);
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: 'in_fault_conn', planId: 'credits10' });
    // The ledger insert sleeps: the delivery's transaction holds the workspace row lock meanwhile.
    await admin(`CREATE FUNCTION slow_ledger() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(30); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await admin(`CREATE TRIGGER slow_ledger BEFORE INSERT ON "CreditLedger" FOR EACH ROW EXECUTE FUNCTION slow_ledger()`);
    let terminated = 0;
    try {
      const pending = t.webhook(delivery);
      for (let i = 0; i < 100 && terminated === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const rows = await admin<{ pg_terminate_backend: boolean }>(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()`,
          [dbName],
        );
        terminated = rows.filter((r) => r.pg_terminate_backend).length;
      }
      expect(terminated).toBe(1);
      const res = await pending;
      expect(res.status).toBeGreaterThanOrEqual(500);
    } finally {
      await admin(`DROP TRIGGER slow_ledger ON "CreditLedger"; DROP FUNCTION slow_ledger()`);
    }
    expect(await effects(owner.workspaceId, 'in_fault_conn')).toMatchObject({ credits: 0, payments: 0, ledger: 0, audit: 0 });

    // The pool recovers from the killed connection; the processor's retry applies the event once.
    expect((await t.webhook(delivery)).status).toBe(200);
    expect(await t.webhook(delivery)).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(await effects(owner.workspaceId, 'in_fault_conn')).toMatchObject({ credits: 10, payments: 1, ledger: 1, audit: 1 });
    expect(await db().emailOutbox.count({ where: { recipient: owner.email } })).toBe(1);
  });
});

describe('SMTP down', () => {
  it('webhooks still answer 2xx, and every email goes out exactly once when SMTP returns', async () => {
    await db().emailOutbox.updateMany({ where: { status: 'pending' }, data: { status: 'sent' } }); // earlier tests' emails
    const owner = await t.signup(`fault-smtp-${Date.now()}@example.com`);
    const second = await t.signup(`fault-smtp2-${Date.now()}@example.com`);
    await t.addMember(owner, second, 'owner');
    const ws = { workspaceId: owner.workspaceId };
    const deliveries = [
      paymentSucceeded(owner.workspaceId, { moneyId: 'in_smtp_pack', planId: 'credits10' }),
      subscriptionChanged(ws, { subscriptionId: 'sub_smtp', occurredAt: new Date('2026-11-01T00:00:01Z') }),
      paymentSucceeded(owner.workspaceId, { moneyId: 'in_smtp_sub', planId: 'pro', amount: 2900 }),
      paymentFailed(owner.workspaceId, { moneyId: 'in_smtp_fail' }),
      subscriptionChanged(ws, { subscriptionId: 'sub_smtp', cancelAtPeriodEnd: true, occurredAt: new Date('2026-11-01T00:00:02Z') }),
    ];
    // Nothing listens on this port: SMTP is down.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = createMailTransport({ host: '127.0.0.1', port: deadPort, secure: false, ignoreTLS: true });
    for (const d of deliveries) {
      expect((await t.webhook(d)).status).toBe(200);
      const pass = await dispatchDueEmails({ transport: down, from: 'billing@test', now: new Date(Date.now() + 3_600_000 * 2) });
      expect(pass.sent).toBe(0);
    }
    const queued = await db().emailOutbox.count({ where: { status: 'pending' } });
    expect(queued).toBe(8); // 4 emails × 2 owners
    expect(await db().emailOutbox.count({ where: { status: 'pending', lastError: { not: null } } })).toBe(queued);

    const capture = await startSmtpCapture();
    try {
      const up = createMailTransport({ host: '127.0.0.1', port: capture.port, secure: false, ignoreTLS: true });
      const later = new Date(Date.now() + 24 * 3_600_000);
      // Two dispatchers (two servers) race for the same rows, then pass again.
      const passes = await Promise.all([1, 2].map(() => dispatchDueEmails({ transport: up, from: 'billing@test', now: later })));
      const again = await dispatchDueEmails({ transport: up, from: 'billing@test', now: new Date(later.getTime() + 86_400_000) });
      expect(passes[0]!.sent + passes[1]!.sent).toBe(queued);
      expect(again.sent).toBe(0);
      expect(await db().emailOutbox.count({ where: { status: 'sent', sentAt: { not: null }, recipient: { in: [owner.email, second.email] } } })).toBe(queued);
      const received = capture.messages().flatMap((m) => m.to);
      expect(received.filter((to) => to === owner.email)).toHaveLength(4);
      expect(received.filter((to) => to === second.email)).toHaveLength(4);
      up.close();
    } finally {
      down.close();
      await capture.stop();
    }
  });
});
