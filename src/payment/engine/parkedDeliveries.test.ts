import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { checkoutCompleted, paymentSucceeded, subscriptionChanged } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';

// Deliveries of ours that arrive before their customer or subscription is linked to a workspace:
// parked (200, what they wait for), applied once when the link commits, in the order they arrived.

let t: TestServer;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  siteAdmin = await t.signup('admin@example.com');
});

const n = () => randomUUID().slice(0, 8);
const deliveryOf = (eventId: string) => db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
const paymentsOf = (workspaceId: string) => db().payment.findMany({ where: { workspaceId }, orderBy: { occurredAt: 'asc' } });

/** A payment that names only the customer and its subscription (Lemon Squeezy's invoices without custom data). */
function paymentByCustomer(customerId: string, o: { moneyId: string; subscriptionId?: string; paidAt?: Date }) {
  const sent = paymentSucceeded('unused', { ...o, planId: null, amount: 2900 });
  return { ...sent, data: { ...sent.data, ref: { customerId } } };
}

describe('parked until the customer is linked', () => {
  it('credits arrive once, in arrival order, when the checkout links the customer', async () => {
    const owner = await t.signup(`owner-${n()}@example.com`);
    const customerId = `cus_${n()}`;
    const credits = (moneyId: string, paidAt: Date) => {
      const sent = paymentSucceeded('unused', { moneyId, planId: 'credits10', paidAt });
      return { ...sent, data: { ...sent.data, ref: { customerId } } };
    };
    const first = credits(`in_a_${n()}`, new Date('2026-11-01T10:00:00Z'));
    const second = credits(`in_b_${n()}`, new Date('2026-11-01T11:00:00Z'));
    for (const delivery of [first, second]) {
      expect(await t.webhook(delivery)).toMatchObject({ status: 200, body: { parked: true, waitingFor: `customer ${customerId}` } });
    }
    expect(await deliveryOf(first.id)).toMatchObject({ status: 'parked', waitingFor: `customer ${customerId}`, lastError: expect.stringContaining('not linked to a workspace yet') });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);

    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId, planId: 'credits10' }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(20);
    const ledger = await db().creditLedger.findMany({ where: { workspaceId: owner.workspaceId }, orderBy: { createdAt: 'asc' } });
    expect(ledger.map((row) => row.moneyId)).toEqual([first.data.money.moneyId, second.data.money.moneyId]);
    expect(await deliveryOf(second.id)).toMatchObject({ status: 'processed', waitingFor: null, attempts: 2 });

    // The same parked event delivered again, and the link again: nothing more.
    expect((await t.webhook(first)).body).toMatchObject({ duplicate: true });
    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId, planId: 'credits10' }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(20);
  });

  it('a parked delivery whose link never comes stays parked and listed with what it waits for', async () => {
    const delivery = paymentByCustomer(`cus_never_${n()}`, { moneyId: `in_${n()}` });
    await t.webhook(delivery);
    const stored = await deliveryOf(delivery.id);
    const listed = await t.call('listFailedDeliveries', { limit: 100 }, siteAdmin);
    expect(listed.body.deliveries).toContainEqual(expect.objectContaining({ id: stored.id, status: 'parked', waitingFor: `customer ${delivery.data.ref.customerId}` }));
    expect(await db().payment.count({ where: { moneyId: delivery.data.money.moneyId } })).toBe(0);
  });
});

describe('a link that commits while a delivery is being parked', () => {
  // The delivery looked for its customer before the checkout committed, and the checkout looked for
  // parked deliveries before this one was parked. A trigger holds the parking insert until the checkout
  // has committed and looked, which is the order a loaded server can produce.
  it('the parked delivery looks again and applies', async () => {
    const owner = await t.signup(`owner-${n()}@example.com`);
    const customerId = `cus_${n()}`;
    const sent = paymentSucceeded('unused', { moneyId: `pi_${n()}`, planId: 'credits10' });
    const credits = { ...sent, data: { ...sent.data, ref: { customerId } } };
    const LOCK = 4_216_001;
    await db().$executeRawUnsafe(`CREATE FUNCTION hold_parking() RETURNS trigger AS $$ BEGIN PERFORM pg_advisory_xact_lock(${LOCK}); RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db().$executeRawUnsafe(`CREATE TRIGGER hold_parking BEFORE INSERT ON "WebhookDelivery" FOR EACH ROW WHEN (NEW.status = 'parked') EXECUTE FUNCTION hold_parking()`);
    try {
      let release!: () => void;
      let locked!: () => void;
      const lockTaken = new Promise<void>((resolve) => (locked = resolve));
      const holder = db().$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${LOCK})`);
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      }, { timeout: 30_000 });
      await lockTaken;
      const parking = t.webhook(credits);
      while (Number((await db().$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0]!.n) === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await t.webhook(checkoutCompleted(owner.workspaceId, { customerId, planId: 'credits10' }));
      release();
      await holder;
      expect((await parking).status).toBe(200);
    } finally {
      await db().$executeRawUnsafe('DROP TRIGGER hold_parking ON "WebhookDelivery"');
      await db().$executeRawUnsafe('DROP FUNCTION hold_parking()');
    }
    expect(await deliveryOf(credits.id)).toMatchObject({ status: 'processed', waitingFor: null, attempts: 2 });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
  });
});

describe('payments by customer alone', () => {
  it('a payment naming a subscription no workspace holds is parked on it, never attached to the customer’s workspace', async () => {
    const owner = await t.signup(`owner-${n()}@example.com`);
    const customerId = `cus_${n()}`;
    const ours = `sub_ours_${n()}`;
    const otherProduct = `sub_other_${n()}`;
    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId }));
    await t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId: ours, occurredAt: new Date('2026-11-01T10:00:00Z') }));

    const foreign = paymentByCustomer(customerId, { moneyId: `in_other_${n()}`, subscriptionId: otherProduct });
    expect((await t.webhook(foreign)).body).toMatchObject({ parked: true, waitingFor: `subscription ${otherProduct}` });
    const own = paymentByCustomer(customerId, { moneyId: `in_ours_${n()}`, subscriptionId: ours });
    expect((await t.webhook(own)).body).toEqual({ received: true, eventId: own.id, duplicate: false, ignored: false });

    expect(await paymentsOf(owner.workspaceId)).toMatchObject([{ moneyId: own.data.money.moneyId, planId: 'pro' }]);
    expect(await db().emailOutbox.findMany({ where: { recipient: owner.email, template: 'payment_succeeded' } })).toMatchObject([{ data: { planName: 'Pro' } }]);
    expect(await deliveryOf(foreign.id)).toMatchObject({ status: 'parked' });
  });

  it('a payment before its subscription is linked applies when the subscription arrives', async () => {
    const owner = await t.signup(`owner-${n()}@example.com`);
    const customerId = `cus_${n()}`;
    const subscriptionId = `sub_${n()}`;
    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId }));
    const early = paymentByCustomer(customerId, { moneyId: `in_${n()}`, subscriptionId });
    expect((await t.webhook(early)).body).toMatchObject({ parked: true, waitingFor: `subscription ${subscriptionId}` });
    expect(await paymentsOf(owner.workspaceId)).toEqual([]);

    await t.webhook(subscriptionChanged({ workspaceId: owner.workspaceId }, { subscriptionId, planId: 'hobby', occurredAt: new Date('2026-11-01T10:00:00Z') }));
    expect(await paymentsOf(owner.workspaceId)).toMatchObject([{ moneyId: early.data.money.moneyId, planId: 'hobby', status: 'succeeded' }]);
    expect(await deliveryOf(early.id)).toMatchObject({ status: 'processed' });
  });

  it('reconciliation applies what a missed webhook would have released', async () => {
    const owner = await t.signup(`owner-${n()}@example.com`);
    const customerId = `cus_${n()}`;
    const subscriptionId = `sub_${n()}`;
    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId }));
    const early = paymentByCustomer(customerId, { moneyId: `in_${n()}`, subscriptionId });
    await t.webhook(early);
    // The subscription's own webhook never arrives; the processor's account holds it.
    t.fake.accounts.set(owner.workspaceId, [
      {
        type: 'subscription.changed',
        ref: { workspaceId: owner.workspaceId },
        subscription: { subscriptionId, planId: 'pro', status: 'active', cancelAtPeriodEnd: false, currentPeriodEnd: new Date('2027-01-01T00:00:00Z'), trialEnd: null, occurredAt: new Date('2026-11-01T10:00:00Z') },
      },
    ]);
    const res = await t.call('reconcileWorkspace', { workspaceId: owner.workspaceId }, siteAdmin);
    expect(res.status).toBe(200);
    expect(await paymentsOf(owner.workspaceId)).toMatchObject([{ moneyId: early.data.money.moneyId, planId: 'pro' }]);
    expect(await deliveryOf(early.id)).toMatchObject({ status: 'processed' });
  });
});
