import { beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../db/client.js';
import {
  checkoutCompleted,
  paymentFailed,
  paymentRefunded,
  paymentSucceeded,
  subscriptionChanged,
  subscriptionEnded,
} from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { mapEventsPayload as mapFakePayload } from '../../test/eventsWire.js';
import { applyDelivery } from './applyDelivery.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});

/** A fresh workspace with an owner and a plain member, so emails can be checked to reach owners only. */
async function workspaceWithMember(): Promise<{ owner: TestUser; member: TestUser }> {
  const n = Math.random().toString(36).slice(2);
  const owner = await t.signup(`owner-${n}@example.com`);
  const member = await t.signup(`member-${n}@example.com`);
  await t.addMember(owner, member, 'member');
  return { owner, member };
}

const outboxFor = (recipient: string) => db().emailOutbox.findMany({ where: { recipient } });
const auditOf = (workspaceId: string, action: string) => db().auditEvent.findMany({ where: { workspaceId, action } });

describe('money effects', () => {
  it('grants a credit pack once, writes payment, ledger, audit and an email to owners only', async () => {
    const { owner, member } = await workspaceWithMember();
    const res = await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: 'in_credits_1', planId: 'credits10' }));
    expect(res).toMatchObject({ status: 200, body: { duplicate: false } });

    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await db().creditLedger.findMany({ where: { workspaceId: owner.workspaceId } })).toMatchObject([{ amount: 10, moneyId: 'in_credits_1' }]);
    expect(await db().payment.findMany({ where: { workspaceId: owner.workspaceId } })).toMatchObject([{ status: 'succeeded', amount: 990 }]);
    expect(await auditOf(owner.workspaceId, 'payment.succeeded')).toMatchObject([{ actorType: 'processor', actorId: 'fake', metadata: { creditsGranted: 10 } }]);
    expect(await outboxFor(owner.email)).toMatchObject([{ template: 'credits_purchased', data: { credits: 10, balance: 10 } }]);
    expect(await outboxFor(member.email)).toEqual([]);
  });

  it('ignores the same event id delivered twice (2xx, no second effect)', async () => {
    const { owner } = await workspaceWithMember();
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: 'in_dup_event', planId: 'credits10' });
    await t.webhook(delivery);
    const again = await t.webhook(delivery);
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await auditOf(owner.workspaceId, 'payment.succeeded')).toHaveLength(1);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: delivery.id } })).toMatchObject({ status: 'processed', attempts: 1 });
  });

  it('grants once when the same invoice arrives under two event ids', async () => {
    const { owner } = await workspaceWithMember();
    await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: 'in_two_events', planId: 'credits10' }));
    const second = await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: 'in_two_events', planId: 'credits10' }));
    expect(second.status).toBe(200);
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await outboxFor(owner.email)).toHaveLength(1);
  });

  it('grants once under concurrent deliveries of one payment, by event id and by money id', async () => {
    const { owner } = await workspaceWithMember();
    const same = paymentSucceeded(owner.workspaceId, { moneyId: 'in_concurrent', planId: 'credits10' });
    const twins = Array.from({ length: 4 }, () => paymentSucceeded(owner.workspaceId, { moneyId: 'in_concurrent', planId: 'credits10' }));
    const results = await Promise.all([...Array(4).fill(same), ...twins].map((d) => t.webhook(d)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await db().creditLedger.count({ where: { workspaceId: owner.workspaceId } })).toBe(1);
  });

  it('emails the first failure of an invoice only, then a recovery receipt when it is paid', async () => {
    const { owner } = await workspaceWithMember();
    await t.webhook(paymentFailed(owner.workspaceId, { moneyId: 'in_renewal' }));
    await t.webhook(paymentFailed(owner.workspaceId, { moneyId: 'in_renewal' }));
    expect((await outboxFor(owner.email)).map((e) => e.template)).toEqual(['payment_failed']);
    expect(await auditOf(owner.workspaceId, 'payment.failed')).toHaveLength(2);

    await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: 'in_renewal', planId: 'pro', amount: 2900 }));
    expect((await outboxFor(owner.email)).map((e) => e.template).sort()).toEqual(['payment_failed', 'payment_succeeded']);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: 'in_renewal' } })).toMatchObject({ status: 'succeeded' });
    expect((await t.workspace(owner.workspaceId)).datePaid).not.toBeNull();
  });

  it('takes back a refunded credit pack once, never below zero', async () => {
    const { owner } = await workspaceWithMember();
    await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: 'in_refund', planId: 'credits10' }));
    expect((await t.call('spendCredits', { workspaceId: owner.workspaceId, amount: 4, reason: 'export' }, owner)).status).toBe(200);
    const refund = paymentRefunded(owner.workspaceId, { moneyId: 'in_refund', amountRefunded: 990 });
    await t.webhook(refund);
    await t.webhook({ ...refund, id: `${refund.id}-again` });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: 'in_refund' } })).toMatchObject({ status: 'refunded', amountRefunded: 990 });
    expect(await auditOf(owner.workspaceId, 'payment.refunded')).toMatchObject([{ metadata: { creditsRevoked: 6, creditsAlreadySpent: 4 } }]);
    // The owners hear of the refund once, with what was taken back.
    const refundEmails = (await outboxFor(owner.email)).filter((e) => e.template === 'refund_issued');
    expect(refundEmails).toMatchObject([{ data: { amount: 990, paymentAmount: 990, totalRefunded: 990, creditsRevoked: 6 } }]);
  });

  it('takes credits back in proportion to partial refunds (floor), once per step, cumulatively, never below zero', async () => {
    const { owner } = await workspaceWithMember();
    await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: 'in_partial', planId: 'credits10', amount: 990 }));
    const ledger = () => db().creditLedger.findMany({ where: { workspaceId: owner.workspaceId, amount: { lt: 0 } }, orderBy: { createdAt: 'asc' } });

    // 300 of 990: floor(10 * 300 / 990) = 3 credits back. The same step again (another event id) changes nothing.
    const first = paymentRefunded(owner.workspaceId, { moneyId: 'in_partial', amountRefunded: 300 });
    await t.webhook(first);
    await t.webhook({ ...first, id: `${first.id}-again` });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(7);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: 'in_partial' } })).toMatchObject({ status: 'partially_refunded', amountRefunded: 300 });
    expect(await ledger()).toMatchObject([{ amount: -3, moneyId: 'refund:in_partial:300' }]);

    // 500 cumulative: floor(10 * 500 / 990) = 5 in all, so 2 more. An older step arriving late changes nothing.
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId: 'in_partial', amountRefunded: 500 }));
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId: 'in_partial', amountRefunded: 400 }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(5);

    // Spend 4 of the 5 left; the rest of the refund is due 5 but only 1 remains: it takes 1, never below zero.
    expect((await t.call('spendCredits', { workspaceId: owner.workspaceId, amount: 4, reason: 'export' }, owner)).status).toBe(200);
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId: 'in_partial', amountRefunded: 990 }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    expect((await ledger()).map((row) => [row.amount, row.moneyId])).toEqual([
      [-3, 'refund:in_partial:300'],
      [-2, 'refund:in_partial:500'],
      [-4, null],
      [-1, 'refund:in_partial:990'],
    ]);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId: 'in_partial' } })).toMatchObject({ status: 'refunded', amountRefunded: 990 });
    const steps = (await auditOf(owner.workspaceId, 'payment.refunded')).map((e) => e.metadata as { amountRefunded: number });
    expect(steps.sort((a, b) => a.amountRefunded - b.amountRefunded)).toMatchObject([
      { amountRefunded: 300, creditsRevoked: 3, creditsAlreadySpent: 0, fullyRefunded: false },
      { amountRefunded: 500, creditsRevoked: 2, creditsAlreadySpent: 0, fullyRefunded: false },
      { amountRefunded: 990, creditsRevoked: 1, creditsAlreadySpent: 4, fullyRefunded: true },
    ]);
  });

  // Processors deliver in any order (DEFECT D1 in src/reliability/chaos.test.ts).
  it('remembers a full refund that arrives before its payment, then grants and takes back the credits when it arrives, without a receipt', async () => {
    const { owner } = await workspaceWithMember();
    const moneyId = 'in_refund_first';
    const refund = paymentRefunded(owner.workspaceId, { moneyId, amountRefunded: 990 });
    await t.webhook(refund);
    await t.webhook({ ...refund, id: `${refund.id}-again` });
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId, amountRefunded: 300 })); // an older step, late
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId } })).toMatchObject({ status: 'refund_before_payment', amount: 0, amountRefunded: 990 });
    expect(await auditOf(owner.workspaceId, 'payment.refund_before_payment')).toHaveLength(3);
    expect(await auditOf(owner.workspaceId, 'payment.refund_unmatched')).toEqual([]);

    // A failed attempt of that money arriving now does not clobber the remembered refund (nor email).
    await t.webhook(paymentFailed(owner.workspaceId, { moneyId, amount: 990 }));
    expect(await db().payment.findFirstOrThrow({ where: { moneyId } })).toMatchObject({ status: 'refund_before_payment', amountRefunded: 990 });

    const payment = paymentSucceeded(owner.workspaceId, { moneyId, planId: 'credits10', amount: 990 });
    await t.webhook(payment);
    await t.webhook({ ...payment, id: `${payment.id}-twin` });
    await t.webhook(refund); // a duplicate of the refund after all of it: nothing more
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    expect(await db().payment.findMany({ where: { workspaceId: owner.workspaceId } })).toMatchObject([{ moneyId, status: 'refunded', amount: 990, amountRefunded: 990, planId: 'credits10' }]);
    const ledger = await db().creditLedger.findMany({ where: { workspaceId: owner.workspaceId }, orderBy: { createdAt: 'asc' } });
    expect(ledger.map((row) => [row.amount, row.moneyId])).toEqual([
      [10, moneyId],
      [-10, `refund:${moneyId}:990`],
    ]);
    expect(ledger.reduce((sum, row) => sum + row.amount, 0)).toBe(0);
    expect(await auditOf(owner.workspaceId, 'payment.refunded')).toMatchObject([{ metadata: { amountRefunded: 990, fullyRefunded: true, creditsRevoked: 10, creditsAlreadySpent: 0 } }]);
    // Chosen: money already refunded in full when it is recorded gets no receipt, only the refund's email.
    expect(await outboxFor(owner.email)).toMatchObject([{ template: 'refund_issued', data: { amount: 990, totalRefunded: 990, creditsRevoked: 10 } }]);
  });

  it('takes back credits in proportion to partial refunds that arrive before their payment (the largest cumulative step), then later steps as usual', async () => {
    const { owner } = await workspaceWithMember();
    const moneyId = 'in_partial_refund_first';
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId, amountRefunded: 500 }));
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId, amountRefunded: 300 }));
    expect(await db().payment.findFirstOrThrow({ where: { moneyId } })).toMatchObject({ status: 'refund_before_payment', amountRefunded: 500 });

    // 500 of 990 already refunded: floor(10 * 500 / 990) = 5 of the 10 granted go back at once.
    await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId, planId: 'credits10', amount: 990 }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(5);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId } })).toMatchObject({ status: 'partially_refunded', amount: 990, amountRefunded: 500 });
    // A partly refunded purchase still gets its receipt, with the balance after the take-back.
    expect((await outboxFor(owner.email)).sort((a, b) => a.template.localeCompare(b.template))).toMatchObject([
      { template: 'credits_purchased', data: { credits: 10, balance: 5 } },
      { template: 'refund_issued', data: { amount: 500, totalRefunded: 500, creditsRevoked: 5 } },
    ]);

    // The rest of the refund arrives after the payment: the usual path takes the other 5.
    await t.webhook(paymentRefunded(owner.workspaceId, { moneyId, amountRefunded: 990 }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    const ledger = await db().creditLedger.findMany({ where: { workspaceId: owner.workspaceId }, orderBy: { createdAt: 'asc' } });
    expect(ledger.map((row) => [row.amount, row.moneyId])).toEqual([
      [10, moneyId],
      [-5, `refund:${moneyId}:500`],
      [-5, `refund:${moneyId}:990`],
    ]);
    expect(await db().payment.findFirstOrThrow({ where: { moneyId } })).toMatchObject({ status: 'refunded', amountRefunded: 990 });
  });
});

describe('subscription state', () => {
  const t0 = new Date('2026-11-01T10:00:00Z');
  const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

  it('applies newer state and never lets an older event overwrite it', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_a', status: 'active', occurredAt: later(10) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_a', status: 'past_due', occurredAt: later(20) }));
    const stale = await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_a', status: 'active', occurredAt: later(15) }));
    expect(stale.status).toBe(200);
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionId: 'sub_a', subscriptionStatus: 'past_due', subscriptionPlan: 'pro', paymentProcessor: 'fake' });
    expect(await auditOf(owner.workspaceId, 'subscription.event_ignored')).toMatchObject([{ metadata: { reason: 'older than the stored state' } }]);
  });

  it('keeps an ended subscription ended when an older update arrives after the end', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_b', occurredAt: later(10) }));
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_b', occurredAt: later(30) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_b', status: 'active', occurredAt: later(20) }));
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_b', occurredAt: later(31) }));
    expect((await t.workspace(owner.workspaceId)).subscriptionStatus).toBe('canceled');
    expect((await outboxFor(owner.email)).map((e) => e.template)).toEqual(['subscription_ended']);
  });

  it('takes the plan at the end from the end event, whatever order the older states arrive in (D2a)', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_d2a', planId: 'pro', occurredAt: later(10) }));
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_d2a', planId: 'hobby', occurredAt: later(30) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_d2a', planId: 'hobby', occurredAt: later(20) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionId: 'sub_d2a', subscriptionPlan: 'hobby', subscriptionStatus: 'canceled' });
    expect(await outboxFor(owner.email)).toMatchObject([{ template: 'subscription_ended', data: { planName: 'Hobby' } }]);
  });

  it('ends a subscription whose end arrives before any of its states, and tells the owners once (D2b)', async () => {
    const { owner, member } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_d2b', planId: 'pro', occurredAt: later(30) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_d2b', planId: 'pro', occurredAt: later(10) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_d2b', planId: 'pro', status: 'canceled', occurredAt: later(30) }));
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_d2b', planId: 'pro', occurredAt: later(30) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionId: 'sub_d2b', subscriptionPlan: 'pro', subscriptionStatus: 'canceled', cancelAtPeriodEnd: false });
    expect(await outboxFor(owner.email)).toMatchObject([{ template: 'subscription_ended', data: { planName: 'Pro' } }]);
    expect(await outboxFor(member.email)).toEqual([]);
  });

  it('tells the owners of an unseen subscription ending after an earlier one ended, but never of one that was never paid', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    // Never paid: incomplete → incomplete_expired arrives as states, silently.
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_unpaid', status: 'incomplete', occurredAt: later(1) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_unpaid', status: 'incomplete_expired', occurredAt: later(2) }));
    expect(await outboxFor(owner.email)).toEqual([]);
    // A second subscription whose end arrives first: it ran, so the owners are told.
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_next', planId: 'hobby', occurredAt: later(9) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_next', planId: 'hobby', occurredAt: later(5) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionId: 'sub_next', subscriptionPlan: 'hobby', subscriptionStatus: 'canceled' });
    expect((await outboxFor(owner.email)).map((e) => e.template)).toEqual(['subscription_ended']);
  });

  it('emails a cancellation at period end once, on the transition', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_c', occurredAt: later(1) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_c', cancelAtPeriodEnd: true, occurredAt: later(2) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_c', cancelAtPeriodEnd: true, occurredAt: later(3) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ cancelAtPeriodEnd: true, subscriptionStatus: 'active' });
    expect(await outboxFor(owner.email)).toMatchObject([{ template: 'subscription_cancelled', data: { accessUntil: '2027-01-01T00:00:00.000Z' } }]);
  });

  it('asks the processor when two different states carry the same processor time', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    const at = later(100);
    t.fake.subscriptions.set('sub_tie', { subscriptionId: 'sub_tie', planId: 'hobby', status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: null, trialEnd: null, occurredAt: at });
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_tie', status: 'incomplete', occurredAt: at }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_tie', status: 'past_due', occurredAt: at }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionStatus: 'active', subscriptionPlan: 'hobby' });
  });

  it("fetches the tie's subscription with no row lock held, and applies the processor's copy", async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    const at = later(200);
    const current = { subscriptionId: 'sub_unlocked', planId: 'pro', status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: null, trialEnd: null, occurredAt: at } as const;
    // While the processor is asked, another connection can lock the workspace row at once (NOWAIT).
    const lockFreeWhileAsked: boolean[] = [];
    const processor = {
      id: 'fake',
      async fetchSubscription() {
        const locked = await db()
          .$transaction((tx) => tx.$queryRaw`SELECT id FROM "Workspace" WHERE id = ${owner.workspaceId} FOR UPDATE NOWAIT`)
          .then(() => true, () => false);
        lockFreeWhileAsked.push(locked);
        return current;
      },
    };
    await applyDelivery(processor, mapFakePayload(subscriptionChanged(ws, { subscriptionId: 'sub_unlocked', status: 'incomplete', occurredAt: at })));
    const outcome = await applyDelivery(processor, mapFakePayload(subscriptionChanged(ws, { subscriptionId: 'sub_unlocked', status: 'past_due', occurredAt: at })));
    expect(outcome).toEqual({ status: 'processed' });
    expect(lockFreeWhileAsked).toEqual([true]);
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionStatus: 'active', subscriptionPlan: 'pro' });
  });

  it('does not let an unpaid second subscription replace an active one', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_main', occurredAt: later(1) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_other', status: 'incomplete', occurredAt: later(2) }));
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_other', occurredAt: later(3) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionId: 'sub_main', subscriptionStatus: 'active' });
  });

  it('keeps each subscription’s own record: one that ends behind a running one is recorded ended, so the workspace has no plan once both ended', async () => {
    const { owner } = await workspaceWithMember();
    const ws = { workspaceId: owner.workspaceId };
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_first', planId: 'hobby', occurredAt: later(1) }));
    await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_second', planId: 'pro', occurredAt: later(2) }));
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_first', occurredAt: later(3) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ subscriptionId: 'sub_second', subscriptionPlan: 'pro', subscriptionStatus: 'active' });
    expect(await auditOf(owner.workspaceId, 'subscription.ended')).toHaveLength(0);
    const records = await db().subscription.findMany({ where: { workspaceId: owner.workspaceId }, orderBy: { subscriptionId: 'asc' } });
    expect(records.map((s) => [s.subscriptionId, s.plan, s.status])).toEqual([
      ['sub_first', 'hobby', 'canceled'],
      ['sub_second', 'pro', 'active'],
    ]);

    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_second', occurredAt: later(4) }));
    const billing = await t.call('getWorkspaceBilling', ws, owner);
    expect(billing.body).toMatchObject({ plan: 'pro', subscriptionStatus: 'canceled', hasActivePlan: false });
  });

  it('finds the workspace by its processor customer once checkout linked it', async () => {
    const { owner } = await workspaceWithMember();
    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId: 'fake_cus_linked' }));
    await t.webhook(subscriptionChanged({ customerId: 'fake_cus_linked' }, { subscriptionId: 'sub_by_customer', occurredAt: later(5) }));
    expect(await t.workspace(owner.workspaceId)).toMatchObject({ processorCustomerId: 'fake_cus_linked', subscriptionId: 'sub_by_customer' });
  });
});

describe('one buyer, several workspaces (Lemon Squeezy has one customer per email)', () => {
  it('grants each workspace its own purchase under the shared customer', async () => {
    const a = await workspaceWithMember();
    const b = await workspaceWithMember();
    for (const [ws, moneyId] of [[a.owner.workspaceId, 'order:shared-1'], [b.owner.workspaceId, 'order:shared-2']] as const) {
      expect((await t.webhook(checkoutCompleted(ws, { customerId: 'shared_customer', planId: 'credits10' }))).status).toBe(200);
      expect((await t.webhook(paymentSucceeded(ws, { moneyId, planId: 'credits10' }))).status).toBe(200);
    }
    expect([(await t.workspace(a.owner.workspaceId)).credits, (await t.workspace(b.owner.workspaceId)).credits]).toEqual([10, 10]);
  });

  it('refuses to guess when an event names only a customer that several workspaces share', async () => {
    const a = await workspaceWithMember();
    const b = await workspaceWithMember();
    await t.webhook(checkoutCompleted(a.owner.workspaceId, { customerId: 'ambiguous_customer' }));
    await t.webhook(checkoutCompleted(b.owner.workspaceId, { customerId: 'ambiguous_customer' }));
    const res = await t.webhook(subscriptionChanged({ customerId: 'ambiguous_customer' }, { subscriptionId: 'sub_ambiguous', occurredAt: new Date() }));
    expect(res.status).toBe(500);
    expect((await t.workspace(a.owner.workspaceId)).subscriptionId).toBeNull();
    expect((await t.workspace(b.owner.workspaceId)).subscriptionId).toBeNull();
  });
});

describe('failures and bad input', () => {
  it('rolls back every write of a failing delivery, answers 500, and records the failure for retry', async () => {
    const { owner } = await workspaceWithMember();
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: 'in_rollback', planId: 'credits10' });
    // The audit write is the last of the delivery's writes: failing it must undo the ones before.
    await db().$executeRawUnsafe(`CREATE FUNCTION fail_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit store down'; END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(`CREATE TRIGGER fail_audit BEFORE INSERT ON "AuditEvent" FOR EACH ROW EXECUTE FUNCTION fail_audit()`);
    try {
      const res = await t.webhook(delivery);
      expect(res.status).toBe(500);
    } finally {
      await db().$executeRawUnsafe(`DROP TRIGGER fail_audit ON "AuditEvent"; DROP FUNCTION fail_audit()`);
    }
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    expect(await db().payment.count({ where: { moneyId: 'in_rollback' } })).toBe(0);
    expect(await db().creditLedger.count({ where: { workspaceId: owner.workspaceId } })).toBe(0);
    expect(await outboxFor(owner.email)).toEqual([]);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: delivery.id } })).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastError: expect.stringContaining('audit store down'),
    });

    const retry = await t.webhook(delivery);
    expect(retry.status).toBe(200);
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: delivery.id } })).toMatchObject({ status: 'processed', attempts: 2, lastError: null });
  });

  it('acknowledges an event for no workspace of ours as ignored, writing nothing but the delivery', async () => {
    const delivery = paymentSucceeded('no-such-workspace', { moneyId: 'in_orphan', planId: 'credits10' });
    const res = await t.webhook(delivery);
    expect(res).toMatchObject({ status: 200, body: { ignored: true } });
    expect(await db().payment.count({ where: { moneyId: 'in_orphan' } })).toBe(0);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: delivery.id } })).toMatchObject({
      status: 'ignored',
      lastError: expect.stringMatching(/No workspace for this event/),
    });
  });

  it('rejects a bad signature with 400 and writes nothing', async () => {
    const { owner } = await workspaceWithMember();
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: 'in_forged', planId: 'credits10' });
    const forged = await t.webhook(delivery, { secret: 'not-the-secret' });
    expect(forged).toMatchObject({ status: 400, body: { message: 'Webhook signature does not match the payload' } });
    const unsigned = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery) });
    expect(unsigned.status).toBe(400);
    expect(await db().webhookDelivery.count({ where: { eventId: delivery.id } })).toBe(0);
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
  });

  it('stores a signed but unreadable payload as failed (422 naming the field), applies nothing, and logs its type and id', async () => {
    const { owner } = await workspaceWithMember();
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: 'in_malformed', planId: 'credits10', amount: -5 });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await t.webhook(delivery);
    expect(res.status).toBe(422);
    expect(res.body.message).toMatch(/money\.amount/);
    expect(logged.mock.calls.map((call) => String(call[0]))).toContainEqual(expect.stringMatching(new RegExp(`^\\[webhook\\] fake payment\\.succeeded ${delivery.id} failed: .*money\\.amount`)));
    logged.mockRestore();
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: delivery.id } })).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/money\.amount/),
      payload: delivery,
    });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    // The processor's retry of the same bytes: still one row, one more attempt.
    expect((await t.webhook(delivery)).status).toBe(422);
    expect(await db().webhookDelivery.findMany({ where: { eventId: delivery.id } })).toMatchObject([{ status: 'failed', attempts: 2 }]);
  });

  it('rejects a signed delivery that cannot be identified (no event id) with 400 and writes nothing', async () => {
    const before = await db().webhookDelivery.count();
    const res = await t.webhook({ type: 'payment.succeeded', data: {} } as never);
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/envelope invalid/);
    expect(await db().webhookDelivery.count()).toBe(before);
  });

  it('acknowledges and records an event type it does not act on', async () => {
    const res = await t.webhook({ id: 'evt_unknown_type', type: 'customer.tax_id.created', data: {} });
    expect(res.status).toBe(200);
    expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: 'evt_unknown_type' } })).toMatchObject({ status: 'processed', type: 'customer.tax_id.created' });
  });
});
