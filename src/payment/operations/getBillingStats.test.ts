import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { paymentRefunded, paymentSucceeded, subscriptionChanged, subscriptionEnded } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { computeBillingStats } from '../billingStats.js';
import { allPlans, type Plan } from '../plans.js';
import { setBilling } from '../../test/billingRecords.js';

// One database for this file: the stats cover every workspace in it, so the numbers are exact.
let t: TestServer;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  siteAdmin = await t.signup('admin@example.com');
});

const suffix = () => randomUUID().slice(0, 8);
const newOwner = () => t.signup(`owner-${suffix()}@example.com`);

async function stats() {
  const res = await t.call('getBillingStats', {}, siteAdmin);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** A workspace whose subscription the fake processor reports in `status` (and, optionally, cancelling). */
async function subscribed(planId: string, status: string, o: { cancelAtPeriodEnd?: boolean } = {}): Promise<TestUser> {
  const owner = await newOwner();
  const res = await t.webhook(
    subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId: `sub_${suffix()}`, planId, status, cancelAtPeriodEnd: o.cancelAtPeriodEnd, occurredAt: new Date() }),
  );
  expect(res.status).toBe(200);
  return owner;
}

describe('who may read', () => {
  it('site admins only: anonymous 401, an owner 403', async () => {
    const owner = await newOwner();
    expect((await t.call('getBillingStats', {})).status).toBe(401);
    const refused = await t.call('getBillingStats', {}, owner);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toMatch(/site admins/);
    expect((await t.call('getBillingStats', { workspaceId: owner.workspaceId }, siteAdmin)).status).toBe(400);
  });
});

describe('computed from the stored rows', () => {
  it('an install without billing reports zeros', async () => {
    expect(await stats()).toEqual({
      mrr: { byPlan: [], byCurrency: [] },
      payingWorkspaces: 0,
      unpricedSubscriptions: [],
      credits: { sold: 0, outstanding: 0 },
    });
  });

  it('MRR counts each entitled subscription at its plan’s price; credits sold and outstanding follow the ledger', async () => {
    // Entitled (trialing, active, past_due, and active while cancelling at period end): counted.
    await subscribed('hobby', 'active');
    await subscribed('hobby', 'active', { cancelAtPeriodEnd: true });
    await subscribed('pro', 'active');
    await subscribed('pro', 'past_due');
    await subscribed('pro', 'trialing');
    // Not entitled: not counted.
    await subscribed('pro', 'paused');
    await subscribed('hobby', 'unpaid');
    const ended = await subscribed('pro', 'active');
    const { subscriptionId } = await t.workspace(ended.workspaceId);
    await t.webhook(subscriptionEnded(ended.workspaceId, { subscriptionId: subscriptionId!, occurredAt: new Date() }));

    // Credits: two packs and one more elsewhere (30 sold); 3 spent, one pack refunded (10 taken back).
    const buyer = await newOwner();
    const packs = [`pi_${suffix()}`, `pi_${suffix()}`];
    for (const moneyId of packs) await t.webhook(paymentSucceeded(buyer.workspaceId, { moneyId, planId: 'credits10' }));
    expect((await t.call('spendCredits', { workspaceId: buyer.workspaceId, amount: 3, reason: 'export' }, buyer)).status).toBe(200);
    await t.webhook(paymentRefunded(buyer.workspaceId, { moneyId: packs[0]!, amountRefunded: 990 }));
    const other = await newOwner();
    await t.webhook(paymentSucceeded(other.workspaceId, { moneyId: `pi_${suffix()}`, planId: 'credits10' }));

    expect(await stats()).toEqual({
      mrr: {
        byPlan: [
          { planId: 'hobby', planName: 'Hobby', currency: 'usd', interval: 'month', subscriptions: 2, mrr: 2 * 900 },
          { planId: 'pro', planName: 'Pro', currency: 'usd', interval: 'month', subscriptions: 3, mrr: 3 * 2900 },
        ],
        byCurrency: [{ currency: 'usd', mrr: 2 * 900 + 3 * 2900 }],
      },
      payingWorkspaces: 5,
      unpricedSubscriptions: [],
      credits: { sold: 30, outstanding: 7 + 10 },
    });
  });

  it('two currencies and a yearly price (a catalog given as data): summed per currency, yearly ÷ 12', async () => {
    // Plans that exist only in this test: the workspaces are written directly, as no processor sells them.
    const teamYearlyEur: Plan = {
      id: 'team_yearly_eur',
      name: 'Team (yearly, EUR)',
      description: 'test only',
      effect: { kind: 'subscription' },
      price: { amount: 10_000, currency: 'eur', interval: 'year' },
      processorPlanIdEnv: 'TEST_TEAM_YEARLY_EUR',
    };
    const soloJpy: Plan = { ...teamYearlyEur, id: 'solo_jpy', name: 'Solo (JPY)', price: { amount: 500, currency: 'jpy', interval: 'month' } };
    const place = async (planId: string, status: 'active' | 'canceled') => {
      const owner = await newOwner();
      await setBilling(owner.workspaceId, { subscriptionId: `sub_${suffix()}`, plan: planId, status });
    };
    await place('team_yearly_eur', 'active');
    await place('team_yearly_eur', 'active');
    await place('team_yearly_eur', 'canceled');
    await place('solo_jpy', 'active');

    const withTestPlans = await computeBillingStats([...allPlans, teamYearlyEur, soloJpy]);
    expect(withTestPlans.mrr.byCurrency).toEqual([
      { currency: 'eur', mrr: Math.round((2 * 10_000) / 12) }, // 1667 cents: rounded once per plan, not per subscription
      { currency: 'jpy', mrr: 500 },
      { currency: 'usd', mrr: 2 * 900 + 3 * 2900 },
    ]);
    expect(withTestPlans.mrr.byPlan[0]).toEqual({ planId: 'team_yearly_eur', planName: 'Team (yearly, EUR)', currency: 'eur', interval: 'year', subscriptions: 2, mrr: 1667 });
    expect(withTestPlans.payingWorkspaces).toBe(8);
    expect(withTestPlans.unpricedSubscriptions).toEqual([]);

    // The app's own catalog does not price them: still paying workspaces, reported apart, not in MRR.
    const live = await stats();
    expect(live.payingWorkspaces).toBe(8);
    expect(live.mrr.byCurrency).toEqual([{ currency: 'usd', mrr: 2 * 900 + 3 * 2900 }]);
    expect(live.unpricedSubscriptions).toEqual([
      { planId: 'solo_jpy', subscriptions: 1 },
      { planId: 'team_yearly_eur', subscriptions: 2 },
    ]);
  });
});
