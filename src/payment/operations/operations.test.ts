import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../db/client.js';
import { paymentSucceeded, subscriptionChanged } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestTeam, type TestUser } from '../../test/testServer.js';
import { paymentProcessor } from '../processors.js';
import { setBilling } from '../../test/billingRecords.js';

const APP_URL = 'http://localhost:3001';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterEach(() => {
  vi.restoreAllMocks();
});

type Role = 'owner' | 'admin' | 'member';
type Caller = 'anonymous' | 'outsider' | Role;

type Team = TestTeam;
const newTeam = () => t.team();

function as(team: Team, caller: Caller): TestUser | undefined {
  return caller === 'anonymous' ? undefined : team[caller];
}

const moneyId = () => `in_${randomUUID()}`;
const grantCredits10 = (workspaceId: string) => t.webhook(paymentSucceeded(workspaceId, { moneyId: moneyId(), planId: 'credits10' }));
const makeActive = (workspaceId: string, status = 'active', occurredAt = new Date()) =>
  t.webhook(subscriptionChanged({ workspaceId }, { subscriptionId: `sub_${randomUUID()}`, status, occurredAt }));
const auditOf = (workspaceId: string, action: string) =>
  db().auditEvent.findMany({ where: { workspaceId, action }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
const ledgerOf = (workspaceId: string) => db().creditLedger.findMany({ where: { workspaceId } });

describe('role matrix over HTTP', () => {
  let team: Team;
  beforeAll(async () => {
    team = await newTeam();
    // The portal needs a customer and spending needs credits, so the allowed calls can succeed.
    expect((await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.owner)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await grantCredits10(team.workspaceId)).status).toBe(200);
  });

  const matrix: { operation: string; label: string; args: () => Record<string, unknown>; allowed: Role[] }[] = [
    { operation: 'generateCheckoutSession', label: 'subscription', args: () => ({ workspaceId: team.workspaceId, planId: 'pro' }), allowed: ['owner'] },
    { operation: 'generateCheckoutSession', label: 'hobby subscription', args: () => ({ workspaceId: team.workspaceId, planId: 'hobby' }), allowed: ['owner'] },
    {
      operation: 'generateCheckoutSession',
      label: 'credit pack',
      args: () => ({ workspaceId: team.workspaceId, planId: 'credits10' }),
      allowed: ['owner', 'admin', 'member'],
    },
    { operation: 'getCustomerPortalUrl', label: '', args: () => ({ workspaceId: team.workspaceId }), allowed: ['owner'] },
    { operation: 'getWorkspaceBilling', label: '', args: () => ({ workspaceId: team.workspaceId }), allowed: ['owner', 'admin', 'member'] },
    {
      operation: 'spendCredits',
      label: '',
      args: () => ({ workspaceId: team.workspaceId, amount: 1, reason: 'matrix' }),
      allowed: ['owner', 'admin', 'member'],
    },
  ];
  const callers: Caller[] = ['anonymous', 'outsider', 'member', 'admin', 'owner'];
  const cases = matrix.flatMap((row) =>
    callers.map((caller) => {
      const expected = caller === 'anonymous' ? 401 : caller === 'outsider' ? 404 : row.allowed.includes(caller) ? 200 : 403;
      return { ...row, caller, expected };
    }),
  );

  it.each(cases)('$operation $label as $caller → $expected', async ({ operation, args, caller, expected }) => {
    const before = await db().auditEvent.count({ where: { workspaceId: team.workspaceId } });
    const res = await t.call(operation, args(), as(team, caller));
    expect(res.status, JSON.stringify(res.body)).toBe(expected);
    if (expected === 401) expect(res.body.message).toMatch(/logged in/i);
    if (expected === 404) expect(res.body.message).toContain(team.workspaceId);
    if (expected === 403) expect(res.body.message).toContain(`you are ${caller}`);
    const after = await db().auditEvent.count({ where: { workspaceId: team.workspaceId } });
    // A refused call writes nothing; an allowed write is audited (billing is a read).
    if (expected !== 200 || operation === 'getWorkspaceBilling') expect(after).toBe(before);
    else expect(after).toBe(before + 1);
  });

  it('a refused spend leaves the balance and the ledger alone', async () => {
    const { credits } = await t.workspace(team.workspaceId);
    const ledger = await ledgerOf(team.workspaceId);
    for (const caller of ['anonymous', 'outsider'] as const) {
      const res = await t.call('spendCredits', { workspaceId: team.workspaceId, amount: 1, reason: 'nope' }, as(team, caller));
      expect(res.status).toBe(caller === 'anonymous' ? 401 : 404);
    }
    expect((await t.workspace(team.workspaceId)).credits).toBe(credits);
    expect(await ledgerOf(team.workspaceId)).toHaveLength(ledger.length);
  });

  it('an unknown workspace id answers 404 like a foreign one', async () => {
    const res = await t.call('getWorkspaceBilling', { workspaceId: randomUUID() }, team.owner);
    expect(res.status).toBe(404);
  });
});

describe('bad arguments: 400 naming the field, nothing written', () => {
  let team: Team;
  beforeAll(async () => {
    team = await newTeam();
    await grantCredits10(team.workspaceId);
  });

  async function expectNothingWritten(run: () => Promise<void>) {
    const workspace = await t.workspace(team.workspaceId);
    const audits = await db().auditEvent.count();
    const ledger = await db().creditLedger.count();
    await run();
    expect(await t.workspace(team.workspaceId)).toEqual(workspace);
    expect(await db().auditEvent.count()).toBe(audits);
    expect(await db().creditLedger.count()).toBe(ledger);
  }

  const cases: { operation: string; label: string; args: () => unknown; field: string; text?: string }[] = [
    { operation: 'generateCheckoutSession', label: 'unknown planId', args: () => ({ workspaceId: team.workspaceId, planId: 'gold' }), field: 'planId', text: 'unknown plan "gold"' },
    { operation: 'generateCheckoutSession', label: 'missing planId', args: () => ({ workspaceId: team.workspaceId }), field: 'planId' },
    { operation: 'generateCheckoutSession', label: 'missing workspaceId', args: () => ({ planId: 'pro' }), field: 'workspaceId' },
    { operation: 'generateCheckoutSession', label: 'empty workspaceId', args: () => ({ workspaceId: '', planId: 'credits10' }), field: 'workspaceId' },
    { operation: 'getCustomerPortalUrl', label: 'missing workspaceId', args: () => ({}), field: 'workspaceId' },
    { operation: 'getCustomerPortalUrl', label: 'numeric workspaceId', args: () => ({ workspaceId: 42 }), field: 'workspaceId' },
    { operation: 'getWorkspaceBilling', label: 'missing workspaceId', args: () => ({}), field: 'workspaceId' },
    { operation: 'spendCredits', label: 'negative amount', args: () => ({ workspaceId: team.workspaceId, amount: -3, reason: 'x' }), field: 'amount' },
    { operation: 'spendCredits', label: 'zero amount', args: () => ({ workspaceId: team.workspaceId, amount: 0, reason: 'x' }), field: 'amount' },
    { operation: 'spendCredits', label: 'fractional amount', args: () => ({ workspaceId: team.workspaceId, amount: 1.5, reason: 'x' }), field: 'amount' },
    { operation: 'spendCredits', label: 'string amount', args: () => ({ workspaceId: team.workspaceId, amount: '2', reason: 'x' }), field: 'amount' },
    { operation: 'spendCredits', label: 'missing reason', args: () => ({ workspaceId: team.workspaceId, amount: 2 }), field: 'reason' },
    { operation: 'spendCredits', label: 'blank reason', args: () => ({ workspaceId: team.workspaceId, amount: 2, reason: '   ' }), field: 'reason' },
    { operation: 'spendCredits', label: 'missing workspaceId', args: () => ({ amount: 2, reason: 'x' }), field: 'workspaceId' },
  ];

  it.each(cases)('$operation with $label → 400 naming $field', async ({ operation, args, field, text }) => {
    await expectNothingWritten(async () => {
      const res = await t.call(operation, args(), team.owner);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(`${field}:`);
      if (text) expect(res.body.message).toContain(text);
    });
  });

  it('a bad checkout never reaches the processor', async () => {
    const processor = paymentProcessor();
    const createCustomer = vi.spyOn(processor, 'createCustomer');
    const createSession = vi.spyOn(processor, 'createCheckoutSession');
    expect((await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'gold' }, team.owner)).status).toBe(400);
    expect(createCustomer).not.toHaveBeenCalled();
    expect(createSession).not.toHaveBeenCalled();
  });
});

describe('generateCheckoutSession', () => {
  it('stores the customer once, reuses it, audits and returns a session under APP_URL', async () => {
    const team = await newTeam();
    const createCustomer = vi.spyOn(paymentProcessor(), 'createCustomer');
    expect(await t.workspace(team.workspaceId)).toMatchObject({ processorCustomerId: null, paymentProcessor: null });

    const first = await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'pro' }, team.owner);
    expect(first.status).toBe(200);
    expect(first.body.sessionId).toMatch(/^fake_cs_/);
    expect(first.body.sessionUrl.startsWith(`${APP_URL}/`)).toBe(true);
    const url = new URL(first.body.sessionUrl);
    expect(url.searchParams.get('workspaceId')).toBe(team.workspaceId);
    expect(url.searchParams.get('session_id')).toBe(first.body.sessionId);
    expect(createCustomer).toHaveBeenCalledTimes(1);

    const stored = await t.workspace(team.workspaceId);
    expect(stored).toMatchObject({ paymentProcessor: 'fake', processorCustomerId: `fake_cus_${team.workspaceId}` });

    const second = await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.member);
    expect(second.status).toBe(200);
    expect(createCustomer).toHaveBeenCalledTimes(1);
    expect(await t.workspace(team.workspaceId)).toEqual(stored);

    const audits = await auditOf(team.workspaceId, 'checkout.created');
    expect(audits).toMatchObject([
      { actorType: 'user', actorId: team.owner.id, target: first.body.sessionId, metadata: { planId: 'pro', processor: 'fake' } },
      { actorType: 'user', actorId: team.member.id, target: second.body.sessionId, metadata: { planId: 'credits10', processor: 'fake' } },
    ]);
  });

  it('passes the stored customer and the workspace to the processor', async () => {
    const team = await newTeam();
    const createSession = vi.spyOn(paymentProcessor(), 'createCheckoutSession');
    await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.admin);
    expect(createSession).toHaveBeenCalledTimes(1);
    expect(createSession.mock.calls[0]![0]).toMatchObject({
      workspace: { id: team.workspaceId },
      customerId: `fake_cus_${team.workspaceId}`,
      customerEmail: team.admin.email,
      plan: { id: 'credits10' },
      processorPlanId: 'fake_price_credits10',
      successUrl: expect.stringMatching(new RegExp(`^${APP_URL}/`)),
      cancelUrl: expect.stringMatching(new RegExp(`^${APP_URL}/`)),
    });
  });

  it('stores one customer under concurrent first checkouts', async () => {
    const team = await newTeam();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.member)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(5).fill(200));
    expect((await t.workspace(team.workspaceId)).processorCustomerId).toBe(`fake_cus_${team.workspaceId}`);
    expect(await auditOf(team.workspaceId, 'checkout.created')).toHaveLength(5);
  });

  it.each(['active', 'trialing', 'past_due'])('refuses a subscription checkout while %s (409 pointing to the portal), still sells credits', async (status) => {
    const team = await newTeam();
    expect((await makeActive(team.workspaceId, status)).status).toBe(200);
    expect((await t.workspace(team.workspaceId)).subscriptionStatus).toBe(status);
    const auditsBefore = await auditOf(team.workspaceId, 'checkout.created');

    for (const planId of ['pro', 'hobby']) {
      const res = await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId }, team.owner);
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/customer portal/);
      expect(res.body.useCustomerPortal).toBe(true);
    }
    expect(await auditOf(team.workspaceId, 'checkout.created')).toHaveLength(auditsBefore.length);

    const credits = await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.member);
    expect(credits.status).toBe(200);
    expect(await auditOf(team.workspaceId, 'checkout.created')).toHaveLength(auditsBefore.length + 1);
  });

  it('sells a subscription again once the previous one is canceled', async () => {
    const team = await newTeam();
    await makeActive(team.workspaceId, 'canceled');
    const res = await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'pro' }, team.owner);
    expect(res.status).toBe(200);
  });

  it('does not re-bill a workspace through a different processor', async () => {
    const team = await newTeam();
    await setBilling(team.workspaceId, { processor: 'stripe', customerId: 'cus_other' });
    const res = await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.owner);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('stripe');
    expect(await auditOf(team.workspaceId, 'checkout.created')).toEqual([]);
  });
});

describe('getCustomerPortalUrl', () => {
  it('answers 409 before any customer, then a url and a portal.opened audit event', async () => {
    const team = await newTeam();
    const before = await t.call('getCustomerPortalUrl', { workspaceId: team.workspaceId }, team.owner);
    expect(before.status).toBe(409);
    expect(before.body.message).toMatch(/no billing account/);
    expect(await auditOf(team.workspaceId, 'portal.opened')).toEqual([]);

    expect((await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'pro' }, team.owner)).status).toBe(200);
    const after = await t.call('getCustomerPortalUrl', { workspaceId: team.workspaceId }, team.owner);
    expect(after.status).toBe(200);
    expect(after.body.url.startsWith(`${APP_URL}/`)).toBe(true);
    const url = new URL(after.body.url);
    expect(url.searchParams.get('fake_portal_customer')).toBe(`fake_cus_${team.workspaceId}`);
    expect(url.searchParams.get('workspaceId')).toBe(team.workspaceId);
    expect(await auditOf(team.workspaceId, 'portal.opened')).toMatchObject([
      { actorType: 'user', actorId: team.owner.id, target: `fake_cus_${team.workspaceId}` },
    ]);
  });

  it('fetches a fresh url on every click', async () => {
    const team = await newTeam();
    await t.call('generateCheckoutSession', { workspaceId: team.workspaceId, planId: 'credits10' }, team.owner);
    const fetchUrl = vi.spyOn(paymentProcessor(), 'fetchCustomerPortalUrl');
    await t.call('getCustomerPortalUrl', { workspaceId: team.workspaceId }, team.owner);
    await t.call('getCustomerPortalUrl', { workspaceId: team.workspaceId }, team.owner);
    expect(fetchUrl).toHaveBeenCalledTimes(2);
    expect(await auditOf(team.workspaceId, 'portal.opened')).toHaveLength(2);
  });
});

describe('getWorkspaceBilling', () => {
  it('starts empty', async () => {
    const team = await newTeam();
    const res = await t.call('getWorkspaceBilling', { workspaceId: team.workspaceId }, team.member);
    expect(res).toMatchObject({
      status: 200,
      body: { workspaceId: team.workspaceId, plan: null, subscriptionStatus: null, hasActivePlan: false, credits: 0, currentPeriodEnd: null, customerId: null },
    });
  });

  it('reports plan, status, entitlement, credits and period end after webhooks', async () => {
    const team = await newTeam();
    const periodEnd = new Date('2027-03-04T05:06:07.000Z');
    expect(
      (await t.webhook(subscriptionChanged({ workspaceId: team.workspaceId }, { subscriptionId: 'sub_billing', planId: 'hobby', status: 'active', currentPeriodEnd: periodEnd, occurredAt: new Date() })))
        .status,
    ).toBe(200);
    expect((await grantCredits10(team.workspaceId)).status).toBe(200);
    // A credit pack is not a plan payment: only the subscription invoice sets datePaid.
    expect((await t.call('getWorkspaceBilling', { workspaceId: team.workspaceId }, team.member)).body.datePaid).toBeNull();
    const invoice = paymentSucceeded(team.workspaceId, { moneyId: moneyId(), planId: 'hobby', amount: 900 });
    expect((await t.webhook(invoice)).status).toBe(200);
    const res = await t.call('getWorkspaceBilling', { workspaceId: team.workspaceId }, team.member);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      workspaceId: team.workspaceId,
      processor: 'fake',
      plan: 'hobby',
      subscriptionStatus: 'active',
      hasActivePlan: true,
      cancelAtPeriodEnd: false,
      credits: 10,
      currentPeriodEnd: periodEnd.toISOString(),
    });
    expect(res.body.datePaid).toBe(invoice.data.paidAt);
  });

  it('derives hasActivePlan from the status', async () => {
    const team = await newTeam();
    const t0 = Date.now();
    const ws = { workspaceId: team.workspaceId };
    const expectations: [string, boolean][] = [['past_due', true], ['unpaid', false], ['canceled', false]];
    for (const [i, [status, entitled]] of expectations.entries()) {
      await t.webhook(subscriptionChanged(ws, { subscriptionId: 'sub_states', status, occurredAt: new Date(t0 + i * 1000) }));
      const res = await t.call('getWorkspaceBilling', ws, team.owner);
      expect(res.body).toMatchObject({ subscriptionStatus: status, hasActivePlan: entitled });
    }
  });
});

describe('spendCredits', () => {
  it('spends, writes the ledger and a credits.spent audit event', async () => {
    const team = await newTeam();
    await grantCredits10(team.workspaceId);
    const res = await t.call('spendCredits', { workspaceId: team.workspaceId, amount: 3, reason: 'export' }, team.member);
    expect(res).toMatchObject({ status: 200, body: { credits: 7 } });
    expect((await t.workspace(team.workspaceId)).credits).toBe(7);
    const ledger = await ledgerOf(team.workspaceId);
    expect(ledger.find((row) => row.amount < 0)).toMatchObject({ amount: -3, reason: 'spend:export', actorUserId: team.member.id });
    expect(await auditOf(team.workspaceId, 'credits.spent')).toMatchObject([
      { actorType: 'user', actorId: team.member.id, metadata: { amount: 3, reason: 'export', balance: 7 } },
    ]);
  });

  it('answers 409 when short, leaving balance, ledger and audit unchanged', async () => {
    const team = await newTeam();
    const empty = await t.call('spendCredits', { workspaceId: team.workspaceId, amount: 1, reason: 'export' }, team.owner);
    expect(empty.status).toBe(409);
    expect(empty.body.credits).toBe(0);

    await grantCredits10(team.workspaceId);
    const ledgerBefore = await ledgerOf(team.workspaceId);
    const res = await t.call('spendCredits', { workspaceId: team.workspaceId, amount: 11, reason: 'export' }, team.admin);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/Not enough credits/);
    expect(res.body.credits).toBe(10);
    expect((await t.workspace(team.workspaceId)).credits).toBe(10);
    expect(await ledgerOf(team.workspaceId)).toEqual(ledgerBefore);
    expect(await auditOf(team.workspaceId, 'credits.spent')).toEqual([]);

    const exact = await t.call('spendCredits', { workspaceId: team.workspaceId, amount: 10, reason: 'export' }, team.admin);
    expect(exact).toMatchObject({ status: 200, body: { credits: 0 } });
  });

  it('25 concurrent spends of 1 against a balance of 10: exactly 10 succeed, never negative', async () => {
    const team = await newTeam();
    expect((await grantCredits10(team.workspaceId)).status).toBe(200);
    expect((await t.workspace(team.workspaceId)).credits).toBe(10);

    const spenders = [team.owner, team.admin, team.member];
    const results = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        t.call('spendCredits', { workspaceId: team.workspaceId, amount: 1, reason: `race-${i}` }, spenders[i % spenders.length]),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200), JSON.stringify(results.filter((r) => r.status !== 200 && r.status !== 409))).toHaveLength(10);
    expect(statuses.filter((s) => s === 409)).toHaveLength(15);
    // Each success reports a distinct remaining balance 9..0: no two spends saw the same credit.
    const balances = results.filter((r) => r.status === 200).map((r) => r.body.credits as number);
    expect(balances.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const workspace = await t.workspace(team.workspaceId);
    expect(workspace.credits).toBe(0);
    const ledger = await ledgerOf(team.workspaceId);
    expect(ledger.reduce((sum, row) => sum + row.amount, 0)).toBe(workspace.credits);
    expect(ledger.filter((row) => row.amount === -1)).toHaveLength(10);
    expect(await auditOf(team.workspaceId, 'credits.spent')).toHaveLength(10);
    // Never negative at any point: replaying the ledger in order never dips below zero.
    let running = 0;
    for (const row of ledger.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || b.amount - a.amount)) {
      running += row.amount;
      expect(running).toBeGreaterThanOrEqual(0);
    }
  });
});
