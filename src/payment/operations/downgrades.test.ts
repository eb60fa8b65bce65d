import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../db/client.js';
import { paymentSucceeded, subscriptionChanged, subscriptionEnded } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { ProcessorError, type PaymentProcessor } from '../paymentProcessor.js';
import { paymentProcessor } from '../processors.js';

// The core's side of a downgrade deferred to the period end, on the fake processor: the request, the
// pending plan, what the processor's webhooks do to it, and the emails. Each processor's side (the price
// switched without proration, billed from the renewal) runs in src/payment/contract against its emulator.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
const change = vi.fn<NonNullable<PaymentProcessor['changeSubscriptionPlan']>>();
afterEach(() => {
  change.mockReset();
  delete (paymentProcessor() as Partial<PaymentProcessor>).changeSubscriptionPlan;
});

const periodEnd = new Date('2027-01-01T00:00:00Z');
const nextPeriodEnd = new Date('2027-02-01T00:00:00Z');
const suffix = () => randomUUID().slice(0, 8);
const emails = async (owner: TestUser) => (await db().emailOutbox.findMany({ where: { recipient: owner.email } })).map((e) => e.template);
const billing = async (owner: TestUser) => (await t.call('getWorkspaceBilling', { workspaceId: owner.workspaceId }, owner)).body;

async function proOwner(o: { cancelAtPeriodEnd?: boolean } = {}) {
  Object.assign(paymentProcessor(), { changeSubscriptionPlan: change });
  const owner = await t.signup(`down-${suffix()}@example.com`);
  const subscriptionId = `sub_${suffix()}`;
  await t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId, planId: 'pro', currentPeriodEnd: periodEnd, cancelAtPeriodEnd: o.cancelAtPeriodEnd, occurredAt: new Date('2026-12-01T00:00:00Z') }));
  /** The processor's state of the subscription at `day` of December (its plan and period end). */
  const state = (day: number, planId: string, end = periodEnd) =>
    t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId, planId, currentPeriodEnd: end, occurredAt: new Date(Date.UTC(2026, 11, day)) }));
  return { owner, subscriptionId, state };
}

describe('changePlan to a cheaper plan', () => {
  it('is deferred: the processor switches without proration, the paid plan stays until the renewal, then the owners hear once', async () => {
    const { owner, subscriptionId, state } = await proOwner();
    const res = await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ requested: true, takesEffect: 'period_end', effectiveAt: periodEnd.toISOString() });
    expect(change).toHaveBeenCalledWith(subscriptionId, 'fake_price_hobby', { prorate: false });
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: 'hobby', hasActivePlan: true, currentPeriodEnd: periodEnd.toISOString() });
    expect(await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: 'subscription.change_requested' } })).toMatchObject([
      { actorId: owner.id, target: subscriptionId, metadata: { fromPlan: 'pro', toPlan: 'hobby', takesEffect: 'period_end', effectiveAt: periodEnd.toISOString() } },
    ]);

    // The processor's answer (hobby, same period): the workspace keeps Pro, nothing is told yet.
    await state(2, 'hobby');
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: 'hobby' });
    // The renewal invoice names no plan (Lemon Squeezy): it was billed on the pending plan.
    await t.webhook(paymentSucceeded(owner.workspaceId, { moneyId: `in_${suffix()}`, planId: null, subscriptionId, amount: 900 }));
    // The renewal: the next period, on Hobby.
    await state(31, 'hobby', nextPeriodEnd);
    expect(await billing(owner)).toMatchObject({ plan: 'hobby', pendingPlan: null, currentPeriodEnd: nextPeriodEnd.toISOString() });
    await state(31, 'hobby', nextPeriodEnd); // the same state again (another event id): no transition
    expect((await emails(owner)).filter((e) => e === 'plan_changed')).toHaveLength(1);
    const [payment] = (await t.call('getPaymentHistory', { workspaceId: owner.workspaceId }, owner)).body.payments;
    expect(payment).toMatchObject({ planId: 'hobby', kind: 'subscription', amount: 900 });
    const applied = await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: 'subscription.updated' }, orderBy: { createdAt: 'desc' }, take: 2 });
    expect(applied.at(-1)!.metadata).toMatchObject({ from: { plan: 'pro', pendingPlan: 'hobby' }, to: { plan: 'hobby', pendingPlan: null } });
  });

  it('twice is a 409 that asks the processor nothing; changing back to the current plan cancels it (no proration)', async () => {
    const { owner, subscriptionId } = await proOwner();
    await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner);
    const twice = await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already changes to the Hobby plan on 2027-01-01/);
    expect(change).toHaveBeenCalledTimes(1);

    const back = await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(back.body).toEqual({ requested: true, takesEffect: 'now', effectiveAt: null });
    expect(change).toHaveBeenLastCalledWith(subscriptionId, 'fake_price_pro', { prorate: false });
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: null });
    expect(await db().auditEvent.count({ where: { workspaceId: owner.workspaceId, action: 'subscription.pending_change_cancelled' } })).toBe(1);
    // Nothing pending now: Pro again is the same plan.
    expect((await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner)).status).toBe(409);
    expect(await emails(owner)).toEqual([]);
  });

  it('a processor failure leaves nothing pending; a subscription cancelled at period end has no next period to downgrade', async () => {
    const { owner } = await proOwner();
    change.mockRejectedValueOnce(new ProcessorError('connection', 'Could not change the plan: timed out'));
    expect((await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner)).status).toBe(503);
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: null });

    const cancelling = await proOwner({ cancelAtPeriodEnd: true });
    const refused = await t.call('changePlan', { workspaceId: cancelling.owner.workspaceId, planId: 'hobby' }, cancelling.owner);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/cancelled and ends on 2027-01-01.*resumeSubscription first/);
    expect(change).toHaveBeenCalledTimes(1);
    expect(await db().auditEvent.count({ where: { workspaceId: { in: [owner.workspaceId, cancelling.owner.workspaceId] }, action: 'subscription.change_requested' } })).toBe(0);
  });

  it('a same-period state on the paid plan keeps the downgrade pending; an end before the renewal ends on the plan paid for', async () => {
    const portal = await proOwner();
    await t.call('changePlan', { workspaceId: portal.owner.workspaceId, planId: 'hobby' }, portal.owner);
    await portal.state(3, 'pro'); // a state from before the request arriving late: still pending
    expect(await billing(portal.owner)).toMatchObject({ plan: 'pro', pendingPlan: 'hobby' });

    const ended = await proOwner();
    await t.call('changePlan', { workspaceId: ended.owner.workspaceId, planId: 'hobby' }, ended.owner);
    await ended.state(2, 'hobby');
    await t.webhook(subscriptionEnded(ended.owner.workspaceId, { subscriptionId: ended.subscriptionId, planId: 'hobby', occurredAt: new Date('2026-12-20T00:00:00Z') }));
    expect(await billing(ended.owner)).toMatchObject({ plan: 'pro', pendingPlan: null, subscriptionStatus: 'canceled', hasActivePlan: false });
    expect(await emails(ended.owner)).toEqual(['subscription_ended']);
  });
});
