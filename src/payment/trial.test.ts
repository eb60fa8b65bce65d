import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../db/client.js';
import { subscriptionChanged, subscriptionEnded } from '../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';
import { runBillingSweep } from './engine/billingSweep.js';
import { paymentProcessor } from './processors.js';

// Trials on the fake processor: what checkout asks for, one trial per workspace, access while trialing,
// and the trial-ending notice (from the processor's state, or from the sweep), once. Against the
// emulators: src/payment/contract/trialContract.test.ts.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});

const DAY = 24 * 60 * 60 * 1000;
const suffix = () => randomUUID().slice(0, 8);
const newOwner = () => t.signup(`trial-${suffix()}@example.com`);
const emails = async (owner: TestUser) => (await db().emailOutbox.findMany({ where: { recipient: owner.email } })).map((e) => e.template);
const billing = async (owner: TestUser) => (await t.call('getWorkspaceBilling', { workspaceId: owner.workspaceId }, owner)).body;
const trialing = (owner: TestUser, subscriptionId: string, o: { trialEnd: Date; occurredAt: Date }) =>
  t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId, planId: 'hobby', status: 'trialing', currentPeriodEnd: o.trialEnd, ...o }));

describe('checkout', () => {
  it('asks for the plan’s trial until the workspace has had one; never for a plan without one', async () => {
    const checkout = vi.spyOn(paymentProcessor(), 'createCheckoutSession');
    const owner = await newOwner();
    const buy = async (planId: string) => {
      expect((await t.call('generateCheckoutSession', { workspaceId: owner.workspaceId, planId }, owner)).status).toBe(200);
      return checkout.mock.lastCall![0].trialDays;
    };
    expect(await buy('pro')).toBeNull();
    expect(await buy('hobby')).toBe(14);
    expect(await billing(owner)).toMatchObject({ trialUsed: false });

    const now = Date.now();
    await trialing(owner, 'sub_t1', { trialEnd: new Date(now + 14 * DAY), occurredAt: new Date(now) });
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'trialing', hasActivePlan: true, trialUsed: true });
    // Ended (cancelled during the trial): the next checkout asks for no trial, and says so in the audit.
    await t.webhook(subscriptionEnded(owner.workspaceId, { subscriptionId: 'sub_t1', occurredAt: new Date(now + DAY) }));
    expect(await buy('hobby')).toBeNull();
    const audited = await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: 'checkout.created' }, orderBy: { createdAt: 'asc' } });
    expect(audited.map((a) => (a.metadata as { trialDays: number | null }).trialDays)).toEqual([null, 14, null]);
    checkout.mockRestore();
  });
});

describe('the trial-ending notice', () => {
  it('comes with a processor state within 3 days of the end (Stripe’s trial_will_end), once', async () => {
    const owner = await newOwner();
    const trialEnd = new Date(Date.now() + 14 * DAY);
    await trialing(owner, 'sub_t2', { trialEnd, occurredAt: new Date(trialEnd.getTime() - 14 * DAY) });
    expect(await emails(owner)).toEqual([]);
    await trialing(owner, 'sub_t2', { trialEnd, occurredAt: new Date(trialEnd.getTime() - 3 * DAY) });
    await trialing(owner, 'sub_t2', { trialEnd, occurredAt: new Date(trialEnd.getTime() - 2 * DAY) });
    expect(await db().emailOutbox.findMany({ where: { recipient: owner.email } })).toMatchObject([{ template: 'trial_ending', data: { planName: 'Hobby', trialEnd: trialEnd.toISOString() } }]);
    expect(await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: 'subscription.trial_ending' } })).toMatchObject([{ actorType: 'processor', target: 'sub_t2' }]);
    // The sweep finds it told already.
    await runBillingSweep({ now: new Date(trialEnd.getTime() - DAY) });
    expect(await emails(owner)).toEqual(['trial_ending']);
  });

  it('comes from the sweep when the processor sends nothing (Lemon Squeezy): not before the notice period, then once, however many sweep', async () => {
    const owner = await newOwner();
    const trialEnd = new Date(Date.now() + 14 * DAY);
    await trialing(owner, 'sub_t3', { trialEnd, occurredAt: new Date() });
    await runBillingSweep({ now: new Date(trialEnd.getTime() - 4 * DAY) });
    expect(await emails(owner)).toEqual([]);
    const at = new Date(trialEnd.getTime() - 3 * DAY + 60_000);
    await Promise.all([runBillingSweep({ now: at }), runBillingSweep({ now: at }), runBillingSweep({ now: at })]);
    await runBillingSweep({ now: new Date(trialEnd.getTime() - DAY) });
    expect(await emails(owner)).toEqual(['trial_ending']);
    expect(await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: 'subscription.trial_ending' } })).toMatchObject([{ actorType: 'system', target: 'sub_t3' }]);
    // A trial already over is no notice.
    const late = await newOwner();
    await trialing(late, 'sub_t4', { trialEnd, occurredAt: new Date() });
    await runBillingSweep({ now: new Date(trialEnd.getTime() + 60_000) });
    expect(await emails(late)).toEqual([]);
  });
});
