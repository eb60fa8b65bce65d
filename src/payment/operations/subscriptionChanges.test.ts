import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../../db/client.js';
import { subscriptionChanged } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { ProcessorError, type PaymentProcessor } from '../paymentProcessor.js';
import { paymentProcessor } from '../processors.js';
import { setBilling } from '../../test/billingRecords.js';

// The processor-independent side of changePlan / cancelSubscription / resumeSubscription, on the fake
// processor (which implements none of the changes). Each processor's side runs in
// src/payment/contract/lifecycleContract.test.ts against its emulator.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});

type Changes = Pick<PaymentProcessor, 'changeSubscriptionPlan' | 'cancelSubscription' | 'resumeSubscription'>;
/** Gives the fake processor the changes for one test. */
function implement(changes: Changes) {
  Object.assign(paymentProcessor(), changes);
}
afterEach(() => {
  const processor = paymentProcessor() as Partial<Changes>;
  delete processor.changeSubscriptionPlan;
  delete processor.cancelSubscription;
  delete processor.resumeSubscription;
});

const suffix = () => randomUUID().slice(0, 8);
const requested = (workspaceId: string) => db().auditEvent.findMany({ where: { workspaceId, action: { endsWith: '_requested' } } });

async function subscribedOwner(o: { planId?: string; cancelAtPeriodEnd?: boolean } = {}): Promise<TestUser & { subscriptionId: string }> {
  const owner = await t.signup(`owner-${suffix()}@example.com`);
  const subscriptionId = `sub_${suffix()}`;
  const res = await t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId, planId: o.planId ?? 'hobby', cancelAtPeriodEnd: o.cancelAtPeriodEnd, occurredAt: new Date() }));
  expect(res.status).toBe(200);
  return { ...owner, subscriptionId };
}

const calls = [
  { operation: 'changePlan', args: { planId: 'pro' } },
  { operation: 'cancelSubscription', args: {} },
  { operation: 'resumeSubscription', args: {} },
] as const;

describe('a processor without the change', () => {
  it.each(calls)('$operation answers 501 pointing at the portal, auditing nothing', async ({ operation, args }) => {
    const owner = await subscribedOwner({ cancelAtPeriodEnd: operation === 'resumeSubscription' });
    const res = await t.call(operation, { workspaceId: owner.workspaceId, ...args }, owner);
    expect(res.status).toBe(501);
    expect(res.body).toMatchObject({ useCustomerPortal: true, message: expect.stringMatching(/^The fake processor cannot .* from the app: use the customer portal$/) });
    expect(await requested(owner.workspaceId)).toEqual([]);
  });

  it.each(calls)('$operation checks the role first: a member gets 403, not 501', async ({ operation, args }) => {
    const owner = await subscribedOwner();
    const member = await t.signup(`member-${suffix()}@example.com`);
    await t.addMember(owner, member, 'member');
    expect((await t.call(operation, { workspaceId: owner.workspaceId, ...args }, member)).status).toBe(403);
  });
});

describe('with the change implemented', () => {
  it('passes the stored subscription and the processor’s plan id, audits, and writes no subscription state itself', async () => {
    const changeSubscriptionPlan = vi.fn(async () => undefined);
    const cancelSubscription = vi.fn(async () => undefined);
    const resumeSubscription = vi.fn(async () => undefined);
    implement({ changeSubscriptionPlan, cancelSubscription, resumeSubscription });
    const owner = await subscribedOwner({ planId: 'hobby' });
    const before = await t.workspace(owner.workspaceId);

    expect((await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner)).body).toEqual({ requested: true, takesEffect: 'now', effectiveAt: null });
    expect(changeSubscriptionPlan).toHaveBeenCalledWith(owner.subscriptionId, 'fake_price_pro', { prorate: true });
    expect((await t.call('cancelSubscription', { workspaceId: owner.workspaceId, atPeriodEnd: false }, owner)).status).toBe(200);
    expect(cancelSubscription).toHaveBeenCalledWith(owner.subscriptionId, { atPeriodEnd: false });
    expect((await t.call('cancelSubscription', { workspaceId: owner.workspaceId }, owner)).status).toBe(200);
    expect(cancelSubscription).toHaveBeenLastCalledWith(owner.subscriptionId, { atPeriodEnd: true });

    // No webhook came, so nothing changed: the plan is still hobby and nothing is pending.
    expect(await t.workspace(owner.workspaceId)).toEqual(before);
    expect((await t.call('resumeSubscription', { workspaceId: owner.workspaceId }, owner)).status).toBe(409);
    expect(resumeSubscription).not.toHaveBeenCalled();

    expect((await requested(owner.workspaceId)).map((a) => [a.action, a.actorId, a.target, a.metadata])).toEqual(
      expect.arrayContaining([
        ['subscription.change_requested', owner.id, owner.subscriptionId, { fromPlan: 'hobby', toPlan: 'pro', processor: 'fake', takesEffect: 'now' }],
        ['subscription.cancel_requested', owner.id, owner.subscriptionId, { atPeriodEnd: false, processor: 'fake' }],
        ['subscription.cancel_requested', owner.id, owner.subscriptionId, { atPeriodEnd: true, processor: 'fake' }],
      ]),
    );
  });

  it('a processor that cannot do what was asked (unsupported) is a 501 with its message; other failures keep their status', async () => {
    implement({
      cancelSubscription: async () => {
        throw new ProcessorError('unsupported', 'Could not cancel now: only at period end');
      },
      changeSubscriptionPlan: async () => {
        throw new ProcessorError('connection', 'Could not change the plan: timed out');
      },
    });
    const owner = await subscribedOwner();
    const now = await t.call('cancelSubscription', { workspaceId: owner.workspaceId, atPeriodEnd: false }, owner);
    expect(now.status).toBe(501);
    expect(now.body).toEqual({ message: 'fake: Could not cancel now: only at period end', processorError: 'unsupported' });
    const change = await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
    expect(change.status).toBe(503);
    expect(await requested(owner.workspaceId)).toEqual([]);
  });

  it('refuses a workspace billed through another processor (409), and one without a live subscription (409)', async () => {
    implement({ changeSubscriptionPlan: vi.fn(), cancelSubscription: vi.fn(), resumeSubscription: vi.fn() });
    const elsewhere = await subscribedOwner({ cancelAtPeriodEnd: true });
    await setBilling(elsewhere.workspaceId, { processor: 'stripe' });
    const fresh = await t.signup(`fresh-${suffix()}@example.com`);
    for (const { operation, args } of calls) {
      const billedElsewhere = await t.call(operation, { workspaceId: elsewhere.workspaceId, ...args }, elsewhere);
      expect(billedElsewhere.status).toBe(409);
      expect(billedElsewhere.body.message).toMatch(/billed through stripe/);
      const none = await t.call(operation, { workspaceId: fresh.workspaceId, ...args }, fresh);
      expect(none.status).toBe(409);
      expect(none.body.message).toMatch(/no active subscription/);
    }
  });

  it('cancelling a paused subscription is allowed; changing its plan is not (it gives no access now)', async () => {
    implement({ changeSubscriptionPlan: vi.fn(), cancelSubscription: vi.fn(async () => undefined), resumeSubscription: vi.fn() });
    const owner = await t.signup(`paused-${suffix()}@example.com`);
    await t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId: `sub_${suffix()}`, planId: 'pro', status: 'paused', occurredAt: new Date() }));
    expect((await t.call('changePlan', { workspaceId: owner.workspaceId, planId: 'hobby' }, owner)).status).toBe(409);
    expect((await t.call('cancelSubscription', { workspaceId: owner.workspaceId }, owner)).status).toBe(200);
  });
});
