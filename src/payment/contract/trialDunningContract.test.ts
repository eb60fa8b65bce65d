import { describe, expect, it } from 'vitest';
import type { TestServer, TestUser } from '../../test/testServer.js';
import { runBillingSweep } from '../engine/billingSweep.js';
import { contractProcessors, useContractApp } from './contractProcessors.js';
import { contractSteps } from './contractSteps.js';
import type { ProcessorHarness } from './processorHarness.js';

// Trials and dunning for every processor with a contract harness, against its emulator. Hobby has a
// 14-day trial (plans.ts). The app's time-driven steps (trial-ending notice, end of the dunning grace)
// run through the billing sweep at the processor's clock, as the server's periodic sweep would.
describe.each(contractProcessors)('trial and dunning contract: $name', ({ create }) => {
  let t: TestServer;
  let h: ProcessorHarness;

  useContractApp(create, (app) => ({ t, h } = app));

  const DAY = 24 * 60 * 60 * 1000;
  const { newOwner, billing, emailsTo, auditOf, buy, call } = contractSteps(() => ({ t, h }));
  const sweepAt = (daysAfterProcessorNow = 0) => runBillingSweep({ now: new Date(h.now().getTime() + daysAfterProcessorNow * DAY) });
  const newestPayment = async (owner: TestUser) => (await t.call('getPaymentHistory', { workspaceId: owner.workspaceId, limit: 1 }, owner)).body.payments[0];
  const only = async (owner: TestUser, templates: string[]) => (await emailsTo(owner.email)).filter((e) => templates.includes(e));

  it('hobby starts with a 14-day trial: access, nothing charged; one notice 3 days before it ends; then the first charge', async () => {
    const owner = await newOwner();
    const start = h.now().getTime();
    await buy(owner, 'hobby');
    const trial = await billing(owner);
    expect(trial).toMatchObject({ plan: 'hobby', subscriptionStatus: 'trialing', hasActivePlan: true, trialUsed: true });
    expect(Math.abs(new Date(trial.trialEnd).getTime() - (start + 14 * DAY))).toBeLessThan(60_000);
    expect(await emailsTo(owner.email)).toEqual([]);

    // Stripe tells at 11 days (trial_will_end); Lemon Squeezy sends nothing, the sweep tells. Once either way.
    await h.advanceDays(12);
    await h.idle();
    await sweepAt();
    await sweepAt();
    expect(await emailsTo(owner.email)).toEqual(['trial_ending']);
    expect(await auditOf(owner.workspaceId, 'subscription.trial_ending')).toHaveLength(1);

    await h.advanceDays(3);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ plan: 'hobby', subscriptionStatus: 'active', hasActivePlan: true });
    expect(await emailsTo(owner.email)).toEqual(['trial_ending', 'payment_succeeded']);
    expect(await newestPayment(owner)).toMatchObject({ status: 'succeeded', amount: 900, planId: 'hobby', kind: 'subscription' });
  });

  it('one trial per workspace: after a trial cancelled to its end, the next subscription is charged at once', async () => {
    const owner = await newOwner();
    await buy(owner, 'hobby');
    expect((await call('cancelSubscription', { workspaceId: owner.workspaceId }, owner)).status).toBe(200);
    await h.advanceDays(15);
    await h.idle();
    expect(await billing(owner)).toMatchObject({ hasActivePlan: false, trialUsed: true });

    await buy(owner, 'hobby');
    expect(await billing(owner)).toMatchObject({ plan: 'hobby', subscriptionStatus: 'active', hasActivePlan: true });
    expect(await newestPayment(owner)).toMatchObject({ status: 'succeeded', amount: 900, planId: 'hobby' });
    const checkouts = await auditOf(owner.workspaceId, 'checkout.created');
    expect(checkouts.map((a) => (a.metadata as { trialDays: number | null }).trialDays)).toEqual([14, null]);
  });

  it('dunning: the first charge fails → past_due with access and one email; the grace runs out → access ends, once; a working card → recovered', async () => {
    const owner = await newOwner();
    await buy(owner, 'hobby', 'failsRenewals');
    await h.advanceDays(15); // the trial ends; its first charge fails
    await h.idle();
    const pastDue = await billing(owner);
    expect(pastDue).toMatchObject({ subscriptionStatus: 'past_due', hasActivePlan: true });
    expect(new Date(pastDue.graceEndsAt).getTime()).toBeGreaterThan(h.now().getTime() + 5 * DAY);
    const dunning = ['subscription_past_due', 'subscription_access_ended', 'subscription_recovered'];
    expect(await only(owner, dunning)).toEqual(['subscription_past_due']);

    await sweepAt(); // within the grace: nothing
    expect(await only(owner, dunning)).toEqual(['subscription_past_due']);
    await sweepAt(8);
    await sweepAt(9);
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'past_due', hasActivePlan: false });
    expect(await only(owner, dunning)).toEqual(['subscription_past_due', 'subscription_access_ended']);

    await h.fixPaymentMethod((await t.workspace(owner.workspaceId)).subscriptionId!);
    await h.advanceDays(3); // the processor's next retry charges the working card
    await h.idle();
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'active', hasActivePlan: true, graceEndsAt: null });
    expect(await only(owner, dunning)).toEqual(dunning);
    expect((await auditOf(owner.workspaceId, 'subscription.recovered')).map((a) => a.metadata)).toMatchObject([{ accessHadEnded: true }]);
  });
});
