import { describe, expect, it } from 'vitest';
import type { TestServer, TestUser } from '../../test/testServer.js';
import { contractProcessors, useContractApp } from './contractProcessors.js';
import { contractSteps } from './contractSteps.js';
import type { ProcessorHarness } from './processorHarness.js';

// changePlan for every processor with a contract harness, against its emulator: an upgrade now
// (prorated), a downgrade at the period end (the processor bills the cheaper plan from the renewal, the
// workspace keeps the plan it paid for until then), and its cancellation. Every plan asserted here
// arrived by webhook through the engine.
describe.each(contractProcessors)('plan change contract: $name', ({ create }) => {
  let t: TestServer;
  let h: ProcessorHarness;

  useContractApp(create, (app) => ({ t, h } = app));

  const { newOwner, billing, emailsTo, auditOf, buy, call } = contractSteps(() => ({ t, h }));
  const newestPayment = async (owner: TestUser) => (await t.call('getPaymentHistory', { workspaceId: owner.workspaceId, limit: 1 }, owner)).body.payments[0];
  const planChangedEmails = async (owner: TestUser) => (await emailsTo(owner.email)).filter((e) => e === 'plan_changed');

  it('hobby → pro (after the trial): now, the webhook brings the plan; audited; one email; the same plan again is a 409', async () => {
    const owner = await newOwner();
    await buy(owner, 'hobby');
    await h.advanceDays(15); // the trial ends: the first charge, on Hobby
    await h.idle();
    expect(await billing(owner)).toMatchObject({ plan: 'hobby', subscriptionStatus: 'active' });
    const { subscriptionId } = await t.workspace(owner.workspaceId);

    const res = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ requested: true, takesEffect: 'now', effectiveAt: null });
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: null, subscriptionStatus: 'active', hasActivePlan: true, cancelAtPeriodEnd: false });
    expect((await t.workspace(owner.workspaceId)).subscriptionId).toBe(subscriptionId);
    expect(await auditOf(owner.workspaceId, 'subscription.change_requested')).toMatchObject([
      { actorType: 'user', actorId: owner.id, target: subscriptionId, metadata: { fromPlan: 'hobby', toPlan: 'pro', takesEffect: 'now' } },
    ]);
    const updates = await auditOf(owner.workspaceId, 'subscription.updated');
    expect(updates.at(-1)).toMatchObject({ actorType: 'processor', metadata: { from: { plan: 'hobby' }, to: { plan: 'pro' } } });
    expect(await planChangedEmails(owner)).toHaveLength(1);

    const again = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/already on the Pro plan/);
    expect(await auditOf(owner.workspaceId, 'subscription.change_requested')).toHaveLength(1);
    expect(await planChangedEmails(owner)).toHaveLength(1);
  });

  it('pro → hobby waits for the period end: shown as pending, the renewal bills Hobby (no proration), then one email', async () => {
    const owner = await newOwner();
    await buy(owner, 'pro');
    const { currentPeriodEnd } = await billing(owner);

    const res = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ requested: true, takesEffect: 'period_end', effectiveAt: currentPeriodEnd });
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: 'hobby', subscriptionStatus: 'active', hasActivePlan: true, currentPeriodEnd });
    expect(await auditOf(owner.workspaceId, 'subscription.change_requested')).toMatchObject([{ metadata: { fromPlan: 'pro', toPlan: 'hobby', takesEffect: 'period_end' } }]);
    expect(await planChangedEmails(owner)).toEqual([]);

    await h.advanceDays(31);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ plan: 'hobby', pendingPlan: null, subscriptionStatus: 'active', hasActivePlan: true });
    expect(await newestPayment(owner)).toMatchObject({ status: 'succeeded', amount: 900, planId: 'hobby', kind: 'subscription' });
    expect(await planChangedEmails(owner)).toHaveLength(1);
  });

  it('changing back to the current plan cancels a pending downgrade: the renewal bills the plan paid for; asking twice is a 409', async () => {
    const owner = await newOwner();
    await buy(owner, 'pro');
    await call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner);
    const twice = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner);
    expect(twice.status).toBe(409);
    expect(twice.body.message).toMatch(/already changes to the Hobby plan/);

    const back = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(back.body).toEqual({ requested: true, takesEffect: 'now', effectiveAt: null });
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: null });
    expect(await auditOf(owner.workspaceId, 'subscription.pending_change_cancelled')).toMatchObject([{ metadata: { plan: 'pro', cancelledPlan: 'hobby' } }]);

    await h.advanceDays(31);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ plan: 'pro', pendingPlan: null, subscriptionStatus: 'active' });
    expect(await newestPayment(owner)).toMatchObject({ amount: 2900, planId: 'pro' });
    expect(await planChangedEmails(owner)).toEqual([]);
  });

  it('refuses a credit pack (400), an unknown plan (400) and a workspace without a subscription (409), asking the processor nothing', async () => {
    const owner = await newOwner();
    const credits = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'credits10' }, owner);
    expect(credits.status).toBe(400);
    expect(credits.body.message).toMatch(/planId: "credits10" is a credit pack/);
    const unknown = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'gold' }, owner);
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('unknown plan "gold"');
    const none = await call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(none.status).toBe(409);
    expect(none.body.message).toMatch(/no active subscription/);
    expect(await auditOf(owner.workspaceId, 'subscription.change_requested')).toEqual([]);
  });
});
