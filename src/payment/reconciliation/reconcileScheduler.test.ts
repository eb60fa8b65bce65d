import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { checkoutCompleted, paymentSucceeded } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';
import { mapEventsPayload } from '../../test/eventsWire.js';
import { reconcilingProcessor } from './reconcile.js';
import { periodicReconciliation, reconcileUnlessRunning } from './reconcileScheduler.js';

// The server's periodic reconciliation: one pass at a time across server processes (an advisory lock).
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});

/** A workspace whose credit pack's webhook was lost: the fake processor's account has the payment. */
async function workspaceWithLostPayment(): Promise<string> {
  const owner = await t.signup(`owner-${Math.random().toString(36).slice(2)}@example.com`);
  await t.webhook(checkoutCompleted(owner.workspaceId, { customerId: `fake_cus_${owner.workspaceId}` }));
  const lost = paymentSucceeded(owner.workspaceId, { moneyId: `pi_${owner.workspaceId}`, planId: 'credits10' });
  t.fake.accounts.set(owner.workspaceId, mapEventsPayload(lost).events);
  return owner.workspaceId;
}

describe('reconcileUnlessRunning', () => {
  it('does nothing while another process runs a pass, then repairs every workspace, audited by the system', async () => {
    const workspaceId = await workspaceWithLostPayment();
    const processor = reconcilingProcessor(t.fake)!;
    await db().$transaction(async (tx) => {
      // Another server's pass holds the lock.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('billing:reconcile'))`;
      expect(await reconcileUnlessRunning([processor], 10_000)).toBeNull();
    });
    expect((await t.workspace(workspaceId)).credits).toBe(0);

    const summary = await reconcileUnlessRunning([processor], 10_000);
    expect(summary?.repaired.map((r) => r.workspaceId)).toContain(workspaceId);
    expect((await t.workspace(workspaceId)).credits).toBe(10);
    expect(await db().auditEvent.findMany({ where: { workspaceId, action: 'billing.reconciled' } })).toMatchObject([{ actorType: 'system', actorId: null }]);
  });
});

describe('periodicReconciliation', () => {
  it('is off without an interval; with one it repairs in the background and stops cleanly', async () => {
    expect(periodicReconciliation([t.fake], undefined)).toBeNull();
    const workspaceId = await workspaceWithLostPayment();
    // Minutes in production; a fraction here so the test does not wait a minute.
    const scheduler = periodicReconciliation([t.fake], 0.001)!;
    expect(scheduler.description).toBe('every 0.001 minutes (one server at a time)');
    try {
      await expect.poll(async () => (await t.workspace(workspaceId)).credits, { timeout: 10_000 }).toBe(10);
    } finally {
      await scheduler.stop();
    }
    expect(await db().auditEvent.count({ where: { workspaceId, action: 'billing.reconciled' } })).toBe(1);
  });
});
