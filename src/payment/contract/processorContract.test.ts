import { describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import type { TestServer, TestUser } from '../../test/testServer.js';
import { processorFolders } from '../../../scripts/registerProcessors.js';
import { contractProcessors, useContractApp } from './contractProcessors.js';
import type { ProcessorHarness } from './processorHarness.js';

// One suite, every processor: each folder's testing/contractHarness.ts is found (contractProcessors.ts),
// and the suite runs the user stories through the app's HTTP surface against that processor's emulator.
const processors = contractProcessors;

it('finds a contract harness for every processor folder', () => {
  expect(processors.map((p) => p.name).sort()).toEqual(processorFolders());
});

describe.each(processors)('processor contract: $name', ({ create }) => {
  let t: TestServer;
  let h: ProcessorHarness;

  useContractApp(create, (app) => ({ t, h } = app));

  const newOwner = () => t.signup(`owner-${Math.random().toString(36).slice(2)}@example.com`);
  const billing = async (user: TestUser, workspaceId = user.workspaceId) => (await t.call('getWorkspaceBilling', { workspaceId }, user)).body;
  const emailsTo = async (email: string) =>
    (await db().emailOutbox.findMany({ where: { recipient: email }, orderBy: { createdAt: 'asc' } })).map((e) => e.template);

  async function checkout(user: TestUser, workspaceId: string, planId: string): Promise<string> {
    const res = await t.call('generateCheckoutSession', { workspaceId, planId }, user);
    expect(res.status).toBe(200);
    expect(res.body.sessionUrl.startsWith(h.checkoutUrlPrefix)).toBe(true);
    return res.body.sessionId;
  }
  async function buy(user: TestUser, planId: string, card: 'good' | 'failsRenewals' = 'good', workspaceId = user.workspaceId) {
    await h.pay(await checkout(user, workspaceId, planId), card);
    await h.idle();
  }

  it('checkout → paid → the workspace is on the plan, with a period end, an audit trail and one receipt', async () => {
    const owner = await newOwner();
    await buy(owner, 'pro');
    const b = await billing(owner);
    expect(b).toMatchObject({ plan: 'pro', subscriptionStatus: 'active', hasActivePlan: true, cancelAtPeriodEnd: false });
    expect(b.customerId).toBeTruthy();
    expect(new Date(b.currentPeriodEnd).getTime()).toBeGreaterThan(Date.now());
    expect(await emailsTo(owner.email)).toEqual(['payment_succeeded']);
    const actions = (await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['checkout.created', 'subscription.updated', 'payment.succeeded']));
  });

  it('refuses a second subscription while one is active', async () => {
    const owner = await newOwner();
    await buy(owner, 'hobby');
    const again = await t.call('generateCheckoutSession', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(again.status).toBe(409);
  });

  it('credits a member’s credit pack once, by exactly its amount', async () => {
    const owner = await newOwner();
    const member = await t.signup(`member-${Math.random().toString(36).slice(2)}@example.com`);
    await t.addMember(owner, member, 'member');
    await buy(member, 'credits10', 'good', owner.workspaceId);
    await h.duplicateLastPayment();
    await h.idle();
    expect((await billing(owner)).credits).toBe(10);
    expect(await db().creditLedger.count({ where: { workspaceId: owner.workspaceId } })).toBe(1);
    expect(await emailsTo(owner.email)).toEqual(['credits_purchased']);
  });

  it('a declined card changes nothing', async () => {
    const owner = await newOwner();
    const sessionId = await checkout(owner, owner.workspaceId, 'pro');
    await expect(h.pay(sessionId, 'declined')).rejects.toThrow(/declined/i);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ plan: null, subscriptionStatus: null, credits: 0 });
    expect(await db().payment.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
  });

  it('portal for owners; cancel at period end, resume, cancel again, and the end at period end', async () => {
    const owner = await newOwner();
    await buy(owner, 'pro');
    expect((await t.call('getCustomerPortalUrl', { workspaceId: owner.workspaceId }, owner)).body.url).toMatch(/^https?:\/\//);
    const { subscriptionId } = await t.workspace(owner.workspaceId);

    await h.cancelAtPeriodEnd(subscriptionId!);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ cancelAtPeriodEnd: true, hasActivePlan: true });
    await h.resume(subscriptionId!);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ cancelAtPeriodEnd: false, subscriptionStatus: 'active' });
    await h.cancelAtPeriodEnd(subscriptionId!);
    await h.advanceDays(32);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ hasActivePlan: false });
    expect(['canceled', 'incomplete_expired']).toContain((await billing(owner)).subscriptionStatus);
    expect((await emailsTo(owner.email)).filter((e) => e === 'subscription_ended')).toHaveLength(1);
  });

  it('renewal failure → past_due with one email each (failure, past due), however often it is retried → recovered with a working card', async () => {
    const owner = await newOwner();
    await buy(owner, 'pro', 'failsRenewals');
    await h.advanceDays(31);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'past_due', hasActivePlan: true });
    await h.advanceDays(3);
    await h.idle();
    expect((await emailsTo(owner.email)).filter((e) => e === 'payment_failed' || e === 'subscription_past_due')).toEqual(['payment_failed', 'subscription_past_due']);

    await h.fixPaymentMethod((await t.workspace(owner.workspaceId)).subscriptionId!);
    await h.advanceDays(3); // the processor's next retry charges the new card
    await h.idle();
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'active', hasActivePlan: true });
    expect(await emailsTo(owner.email)).toEqual(['payment_succeeded', 'payment_failed', 'subscription_past_due', 'payment_succeeded', 'subscription_recovered']);
    const renewal = await db().payment.findMany({ where: { workspaceId: owner.workspaceId }, orderBy: { occurredAt: 'asc' } });
    expect(renewal.map((p) => p.status)).toEqual(['succeeded', 'succeeded']);
  });

  it('ends in the right state when a checkout’s deliveries arrive in reverse order', async () => {
    const owner = await newOwner();
    h.pauseDeliveries();
    await h.pay(await checkout(owner, owner.workspaceId, 'pro'), 'good');
    await h.resumeDeliveries('reverse');
    await h.idle();
    expect(await billing(owner)).toMatchObject({ plan: 'pro', subscriptionStatus: 'active' });
    expect(await emailsTo(owner.email)).toEqual(['payment_succeeded']);
  });

  it('takes a refunded credit pack back', async () => {
    const owner = await newOwner();
    await buy(owner, 'credits10');
    const payment = await db().payment.findFirstOrThrow({ where: { workspaceId: owner.workspaceId } });
    await h.refund(payment.moneyId);
    await h.idle();
    expect((await billing(owner)).credits).toBe(0);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'refunded' });
  });

  it('rejects a delivery signed with the wrong secret, writing nothing', async () => {
    const before = await db().webhookDelivery.count();
    const res = await h.sendForgedDelivery(`${t.baseUrl}/payments-webhook`);
    expect(res.status).toBe(400);
    expect(await db().webhookDelivery.count()).toBe(before);
  });
});
