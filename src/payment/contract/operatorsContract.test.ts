import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { paymentsDown } from '../../test/paymentsDown.js';
import type { TestServer, TestUser } from '../../test/testServer.js';
import { contractProcessors, useContractApp } from './contractProcessors.js';
import { contractSteps } from './contractSteps.js';
import type { ProcessorHarness } from './processorHarness.js';

// The operators' repairs against each processor's emulator. Reconciliation: the emulator loses one
// workspace's webhooks, a twin workspace doing the same gets them all; reconciling the first must leave
// it as the webhooks left the twin (plan, status, credits, payments, emails), and a second run and the
// lost webhooks arriving late change nothing. Replay: a webhook that failed on a database outage.
describe.each(contractProcessors)('operators contract: $name', ({ create }) => {
  let t: TestServer;
  let h: ProcessorHarness;
  let siteAdmin: TestUser;

  useContractApp(create, (app) => ({ t, h } = app));
  beforeAll(async () => {
    siteAdmin = await t.signup('admin@example.com');
  });

  const { newOwner, buy } = contractSteps(() => ({ t, h }));
  const reconcile = async (user: TestUser) => {
    const res = await t.call('reconcileWorkspace', { workspaceId: user.workspaceId }, siteAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await h.idle();
    return res.body.outcome;
  };
  /** What the webhooks decide, without ids and times. */
  async function view(user: TestUser) {
    const b = (await t.call('getWorkspaceBilling', { workspaceId: user.workspaceId }, user)).body;
    const payments = await db().payment.findMany({ where: { workspaceId: user.workspaceId } });
    const emails = await db().emailOutbox.findMany({ where: { recipient: user.email } });
    return {
      billing: { plan: b.plan, status: b.subscriptionStatus, hasActivePlan: b.hasActivePlan, cancelAtPeriodEnd: b.cancelAtPeriodEnd, credits: b.credits },
      payments: payments.map((p) => `${p.status} ${p.amount} ${p.currency} refunded ${p.amountRefunded} plan ${p.planId}`).sort(),
      emails: emails.map((e) => e.template).sort(),
    };
  }
  /** Everything a run with no drift, or a late webhook, must leave as it is. */
  async function written(user: TestUser) {
    const { subscriptionUpdatedAt: _time, ...workspace } = await t.workspace(user.workspaceId);
    return { workspace, ...(await view(user)), reconciled: await db().auditEvent.count({ where: { workspaceId: user.workspaceId, action: 'billing.reconciled' } }) };
  }
  async function checkout(user: TestUser, planId: string): Promise<string> {
    const res = await t.call('generateCheckoutSession', { workspaceId: user.workspaceId, planId }, user);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.sessionId;
  }
  async function refundLatest(user: TestUser, planId: string | null) {
    const payment = await db().payment.findFirstOrThrow({ where: { workspaceId: user.workspaceId, planId }, orderBy: { occurredAt: 'desc' } });
    const res = await t.call('refundPayment', { workspaceId: user.workspaceId, paymentId: payment.id }, siteAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
  /** After the repair: a second run changes nothing, nor do the lost webhooks delivered late. */
  async function expectNoMoreChanges(lossy: TestUser) {
    const repaired = await written(lossy);
    expect(await reconcile(lossy)).toEqual({ status: 'unchanged' });
    expect(await written(lossy)).toEqual(repaired);
    await h.redeliverDropped();
    await h.idle();
    expect(await written(lossy)).toEqual(repaired);
  }

  it('a lost renewal, cancellation and refunds: reconciling repairs them as the webhooks would have', async () => {
    const [twin, lossy] = [await newOwner(), await newOwner()];
    for (const user of [twin, lossy]) {
      await buy(user, 'pro');
      await buy(user, 'credits10');
    }
    const customer = (await t.workspace(lossy.workspaceId)).processorCustomerId!;
    h.dropDeliveries({ customer });
    await h.advanceDays(31); // both renew; the lossy workspace hears nothing of it
    await h.idle();
    for (const user of [twin, lossy]) {
      expect((await t.call('cancelSubscription', { workspaceId: user.workspaceId }, user)).status).toBe(200);
      await refundLatest(user, 'credits10');
      await refundLatest(user, await db().payment.findFirst({ where: { workspaceId: user.workspaceId, planId: 'pro' } }).then((p) => (p ? 'pro' : null)));
    }
    await h.idle();
    h.dropDeliveries(null);
    const expected = await view(twin);
    expect(expected.billing).toMatchObject({ cancelAtPeriodEnd: true, hasActivePlan: true, credits: 0 });
    expect(await view(lossy)).not.toEqual(expected);

    const outcome = await reconcile(lossy);
    expect(outcome.status, JSON.stringify(outcome)).toBe('repaired');
    expect(await view(lossy)).toEqual(expected);
    const [lossyEnd, twinEnd] = [await t.workspace(lossy.workspaceId), await t.workspace(twin.workspaceId)].map((w) => w.currentPeriodEnd!.getTime());
    expect(Math.abs(lossyEnd! - twinEnd!)).toBeLessThan(60_000);
    expect(await db().auditEvent.findMany({ where: { workspaceId: lossy.workspaceId, action: 'billing.reconciled' } })).toMatchObject([
      { actorType: 'user', actorId: siteAdmin.id, metadata: { processor: h.processor.id, changes: expect.arrayContaining([expect.objectContaining({ event: 'payment.refunded' })]) } },
    ]);
    expect(await db().auditEvent.count({ where: { workspaceId: twin.workspaceId, action: 'billing.reconciled' } })).toBe(0);
    await expectNoMoreChanges(lossy);
  });

  it('a checkout whose every webhook was lost: repaired where the customer exists before checkout; else it waits for the late webhooks', async () => {
    const [twin, lossy] = [await newOwner(), await newOwner()];
    await buy(twin, 'hobby');
    await buy(twin, 'credits10');
    const sessions = [await checkout(lossy, 'hobby'), await checkout(lossy, 'credits10')];
    // Stripe: the workspace's customer, made before checkout. Lemon Squeezy makes it at checkout: lose all.
    const customer = (await t.workspace(lossy.workspaceId)).processorCustomerId;
    h.dropDeliveries(customer ? { customer } : {});
    for (const session of sessions) await h.pay(session, 'good');
    await h.idle();
    h.dropDeliveries(null);
    const expected = await view(twin);

    if (!customer) {
      // Lemon Squeezy's API returns no checkout custom data: nothing names this workspace yet.
      expect(await reconcile(lossy)).toEqual({ status: 'unchanged' });
      expect((await view(lossy)).billing).toMatchObject({ plan: null, credits: 0 });
      await h.redeliverDropped();
      await h.idle();
      expect(await view(lossy)).toEqual(expected);
      return;
    }
    expect((await reconcile(lossy)).status).toBe('repaired');
    expect(await view(lossy)).toEqual(expected);
    await expectNoMoreChanges(lossy);
  });

  it('a webhook that failed on a database outage, replayed once the database is back, applies once; the processor’s retry is then a duplicate', async () => {
    const owner = await newOwner();
    const sessionId = await checkout(owner, 'credits10');
    const failed = () => db().webhookDelivery.findMany({ where: { status: 'failed', lastError: { contains: 'payments down' } } });
    const restore = await paymentsDown();
    try {
      await h.pay(sessionId, 'good');
      await expect.poll(async () => (await failed()).length, { timeout: 10_000 }).toBeGreaterThan(0);
      h.pauseDeliveries(); // the processor's next retry waits in its queue
      await h.idle();
    } finally {
      await restore();
    }
    const [delivery] = await failed();
    const listed = await t.call('listFailedDeliveries', { limit: 100 }, siteAdmin);
    expect(listed.body.deliveries).toContainEqual(expect.objectContaining({ id: delivery!.id, status: 'failed' }));
    expect((await view(owner)).billing.credits).toBe(0);

    const res = await t.call('replayFailedDeliveries', {}, siteAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.stillFailing).toEqual([]);
    const replayed = await view(owner);
    expect(replayed).toMatchObject({ billing: { credits: 10 }, payments: ['succeeded 990 usd refunded 0 plan credits10'], emails: ['credits_purchased'] });
    expect(await db().auditEvent.count({ where: { action: 'delivery.replayed', target: delivery!.eventId, actorId: siteAdmin.id } })).toBe(1);

    await h.resumeDeliveries('sent');
    await h.idle();
    expect(await view(owner)).toEqual(replayed);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery!.id } })).toMatchObject({ status: 'processed' });
  });
});
