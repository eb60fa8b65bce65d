import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { coreEnv, useCoreEnv, type CoreEnv } from '../config/env.js';
import { db } from '../db/client.js';
import { subscriptionChanged } from '../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';
import { runBillingSweep } from './engine/billingSweep.js';

// Dunning on the fake processor: past_due keeps access for PAYMENTS_DUNNING_GRACE_DAYS (7 here), then
// access ends - at read time, and the sweep records that step once - and a recovered payment restores
// it. Each step is audited and emailed once. Against the emulators: src/payment/contract/dunningContract.test.ts.

let t: TestServer;
let env: CoreEnv;
beforeAll(async () => {
  t = await startTestServer();
  env = coreEnv();
});
afterEach(() => useCoreEnv(env));

const DAY = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
const emails = async (owner: TestUser) => (await db().emailOutbox.findMany({ where: { recipient: owner.email }, orderBy: { createdAt: 'asc' } })).map((e) => e.template);
const billing = async (owner: TestUser) => (await t.call('getWorkspaceBilling', { workspaceId: owner.workspaceId }, owner)).body;
const steps = async (owner: TestUser) =>
  (await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: { in: ['subscription.past_due', 'subscription.access_ended', 'subscription.recovered'] } }, orderBy: { createdAt: 'asc' } })).map((a) => [a.action, a.actorType]);

async function subscriber() {
  const owner = await t.signup(`dunning-${randomUUID().slice(0, 8)}@example.com`);
  const subscriptionId = `sub_${randomUUID().slice(0, 8)}`;
  const state = (status: string, occurredAt: Date) => t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId, planId: 'pro', status, occurredAt }));
  await state('active', daysAgo(40));
  return { owner, state };
}

describe('dunning', () => {
  it('past_due: access for the grace period, one email saying until when, however often the processor retries', async () => {
    const { owner, state } = await subscriber();
    const since = daysAgo(2);
    await state('past_due', since);
    await state('past_due', daysAgo(1)); // a retry failed again
    const accessUntil = new Date(since.getTime() + 7 * DAY).toISOString();
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'past_due', hasActivePlan: true, graceEndsAt: accessUntil });
    expect(await db().emailOutbox.findMany({ where: { recipient: owner.email } })).toMatchObject([{ template: 'subscription_past_due', data: { planName: 'Pro', accessUntil } }]);
    expect(await steps(owner)).toEqual([['subscription.past_due', 'processor']]);
    await runBillingSweep();
    expect(await emails(owner)).toEqual(['subscription_past_due']);
  });

  it('after the grace period access ends at once (read time), the sweep records and emails it once, and a recovery restores it', async () => {
    const { owner, state } = await subscriber();
    await state('past_due', daysAgo(8));
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'past_due', hasActivePlan: false });

    // Several server processes sweeping at once: one records the step.
    await Promise.all([runBillingSweep(), runBillingSweep(), runBillingSweep()]);
    await runBillingSweep();
    expect(await emails(owner)).toEqual(['subscription_past_due', 'subscription_access_ended']);
    // Recorded: no access whatever the caller's clock, until the payment goes through.
    expect(await billing(owner)).toMatchObject({ hasActivePlan: false });
    await state('past_due', daysAgo(1));
    expect(await billing(owner)).toMatchObject({ hasActivePlan: false });

    await state('active', new Date());
    await state('active', new Date(Date.now() + 1000));
    expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'active', hasActivePlan: true, graceEndsAt: null });
    expect(await emails(owner)).toEqual(['subscription_past_due', 'subscription_access_ended', 'subscription_recovered']);
    expect(await steps(owner)).toEqual([
      ['subscription.past_due', 'processor'],
      ['subscription.access_ended', 'system'],
      ['subscription.recovered', 'processor'],
    ]);
    const recovered = await db().auditEvent.findFirstOrThrow({ where: { workspaceId: owner.workspaceId, action: 'subscription.recovered' } });
    expect(recovered.metadata).toMatchObject({ accessHadEnded: true });

    // A new past_due spell starts a new grace period (and its own emails).
    await state('past_due', new Date(Date.now() + 2000));
    expect(await billing(owner)).toMatchObject({ hasActivePlan: true });
    expect((await emails(owner)).at(-1)).toBe('subscription_past_due');
  });

  it('the grace period is PAYMENTS_DUNNING_GRACE_DAYS: with 2, a spell of 3 days has no access; with 0, none at all', async () => {
    const { owner, state } = await subscriber();
    await state('past_due', daysAgo(3));
    expect(await billing(owner)).toMatchObject({ hasActivePlan: true });
    useCoreEnv({ ...coreEnv(), PAYMENTS_DUNNING_GRACE_DAYS: 2 });
    expect(await billing(owner)).toMatchObject({ hasActivePlan: false });
    useCoreEnv({ ...coreEnv(), PAYMENTS_DUNNING_GRACE_DAYS: 0 });
    const fresh = await subscriber();
    await fresh.state('past_due', new Date());
    expect(await billing(fresh.owner)).toMatchObject({ hasActivePlan: false });
  });
});
