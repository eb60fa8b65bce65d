import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { checkoutCompleted, paymentFailed, paymentRefunded, paymentSucceeded, subscriptionChanged } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { mapEventsPayload as mapFakePayload } from '../../test/eventsWire.js';

// Reconciliation through the operations, with the fake processor: its account (what fetchCustomerState
// answers) is set by each test, as the processor's state after webhooks were lost.
let t: TestServer;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  siteAdmin = await t.signup('admin@example.com');
});

const unique = () => Math.random().toString(36).slice(2);
/** The processor's state, as the fake's deliveries describe it. */
const account = (workspaceId: string, ...deliveries: { id: string; type: string; data?: unknown }[]) =>
  t.fake.accounts.set(workspaceId, deliveries.flatMap((d) => mapFakePayload(d).events));
const reconcile = (workspaceId: string) => t.call('reconcileWorkspace', { workspaceId }, siteAdmin);
/** Everything a repeat must leave as it is. */
const written = async (workspaceId: string, email: string) => ({
  workspace: await t.workspace(workspaceId),
  payments: await db().payment.findMany({ where: { workspaceId }, orderBy: { moneyId: 'asc' } }),
  audits: await db().auditEvent.count({ where: { workspaceId } }),
  emails: (await db().emailOutbox.findMany({ where: { recipient: email } })).map((e) => e.template).sort(),
  deliveries: await db().webhookDelivery.count({ where: { type: 'reconciliation' } }),
});

async function linkedOwner() {
  const owner = await t.signup(`owner-${unique()}@example.com`);
  await t.webhook(checkoutCompleted(owner.workspaceId, { customerId: `fake_cus_${owner.workspaceId}` }));
  return owner;
}

describe('reconcileWorkspace', () => {
  it('repairs what lost webhooks left out, once, audited with what changed; a second run and the late webhooks change nothing', async () => {
    const owner = await linkedOwner();
    const ws = owner.workspaceId;
    const subscriptionId = `sub_${unique()}`;
    const pack = paymentSucceeded(ws, { moneyId: `pi_${unique()}`, planId: 'credits10', amount: 990 });
    const lost = [
      subscriptionChanged({ workspaceId: ws }, { subscriptionId, planId: 'pro', occurredAt: new Date('2026-11-01T00:00:00Z') }),
      paymentSucceeded(ws, { moneyId: `in_${unique()}`, planId: 'pro', amount: 2900 }),
      pack,
    ];
    const refund = paymentRefunded(ws, { moneyId: pack.data.money.moneyId, amountRefunded: 495 });
    account(ws, ...lost, refund);

    const res = await reconcile(ws);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.outcome.status).toBe('repaired');
    expect(res.body.outcome.changes.map((c: { event: string }) => c.event)).toEqual(['subscription.changed', 'payment.succeeded', 'payment.succeeded', 'payment.refunded']);
    expect(res.body.outcome.changes[0]).toMatchObject({ target: subscriptionId, before: { subscriptionPlan: null }, after: { subscriptionPlan: 'pro', subscriptionStatus: 'active' } });
    expect(await t.workspace(ws)).toMatchObject({ subscriptionId, subscriptionPlan: 'pro', subscriptionStatus: 'active', credits: 5 });
    expect((await db().payment.findMany({ where: { workspaceId: ws }, orderBy: { amount: 'asc' } })).map((p) => [p.status, p.amountRefunded])).toEqual([
      ['partially_refunded', 495],
      ['succeeded', 0],
    ]);
    const [reconciled] = await db().auditEvent.findMany({ where: { workspaceId: ws, action: 'billing.reconciled' } });
    expect(reconciled).toMatchObject({ actorType: 'user', actorId: siteAdmin.id, target: expect.stringMatching(new RegExp(`^reconcile:${ws}:`)) });
    const repairs = await db().auditEvent.findMany({ where: { workspaceId: ws, action: { in: ['payment.succeeded', 'subscription.updated', 'payment.refunded'] } } });
    expect(repairs.map((a) => `${a.action} by ${a.actorType}`).sort()).toEqual([
      'payment.refunded by system',
      'payment.succeeded by system',
      'payment.succeeded by system',
      'subscription.updated by system',
    ]);
    const before = await written(ws, owner.email);
    expect(before.emails).toEqual(['credits_purchased', 'payment_succeeded', 'refund_issued']);

    expect((await reconcile(ws)).body.outcome).toEqual({ status: 'unchanged' });
    expect(await written(ws, owner.email)).toEqual(before);
    for (const delivery of [...lost, refund]) expect((await t.webhook(delivery)).status).toBe(200);
    const after = await written(ws, owner.email);
    expect({ ...after, audits: before.audits }).toEqual(before);
  });

  it('a repeat the engine would audit again (a known failure) is no change: nothing is written', async () => {
    const owner = await linkedOwner();
    const failure = paymentFailed(owner.workspaceId, { moneyId: `in_${unique()}` });
    await t.webhook(failure);
    account(owner.workspaceId, failure);
    const audits = await db().auditEvent.count({ where: { workspaceId: owner.workspaceId } });
    expect((await reconcile(owner.workspaceId)).body.outcome).toEqual({ status: 'unchanged' });
    expect(await db().auditEvent.count({ where: { workspaceId: owner.workspaceId } })).toBe(audits);
  });

  it('leaves an object naming another workspace to that workspace', async () => {
    const [owner, other] = [await linkedOwner(), await linkedOwner()];
    account(owner.workspaceId, paymentSucceeded(other.workspaceId, { moneyId: `pi_${unique()}`, planId: 'credits10' }));
    expect((await reconcile(owner.workspaceId)).body.outcome).toEqual({ status: 'unchanged' });
    expect((await t.workspace(other.workspaceId)).credits).toBe(0);
  });

  it('404 for an unknown workspace, 400 without one; anonymous 401, an owner 403, nothing written', async () => {
    expect((await reconcile('nope')).status).toBe(404);
    expect((await t.call('reconcileWorkspace', {}, siteAdmin)).status).toBe(400);
    const owner = await linkedOwner();
    account(owner.workspaceId, paymentSucceeded(owner.workspaceId, { moneyId: `pi_${unique()}`, planId: 'credits10' }));
    for (const [operation, args] of [['reconcileWorkspace', { workspaceId: owner.workspaceId }], ['reconcileWorkspaces', {}]] as const) {
      expect((await t.call(operation, args)).status).toBe(401);
      const res = await t.call(operation, args, owner);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/Only site admins/);
    }
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
  });
});

describe('reconcileWorkspaces', () => {
  it('reconciles every workspace of the processor; one that cannot be applied is reported and rolled back, the others repaired', async () => {
    const [good, bad] = [await linkedOwner(), await linkedOwner()];
    account(good.workspaceId, paymentSucceeded(good.workspaceId, { moneyId: `pi_${unique()}`, planId: 'credits10' }));
    account(bad.workspaceId, paymentSucceeded(bad.workspaceId, { moneyId: `pi_${unique()}`, planId: 'credits10' }), paymentSucceeded(bad.workspaceId, { moneyId: `pi_${unique()}`, planId: 'gold' }));

    const res = await t.call('reconcileWorkspaces', {}, siteAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.repaired.map((r: { workspaceId: string }) => r.workspaceId)).toContain(good.workspaceId);
    expect(res.body.failed).toContainEqual({ workspaceId: bad.workspaceId, error: expect.stringContaining('Unknown plan "gold"') });
    expect(res.body.byOutcome.failed + res.body.byOutcome.repaired + res.body.byOutcome.unchanged).toBe(res.body.workspaces);
    expect((await t.workspace(good.workspaceId)).credits).toBe(10);
    expect((await t.workspace(bad.workspaceId)).credits).toBe(0);

    const second = await t.call('reconcileWorkspaces', {}, siteAdmin);
    expect(second.body.byOutcome.repaired).toBe(0);
  });
});
