import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { checkoutCompleted, paymentSucceeded } from '../../test/fakeEvents.js';
import { paymentsDown } from '../../test/paymentsDown.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';

// Replaying stored deliveries through the fake processor's mapping and the engine, over HTTP.
let t: TestServer;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  siteAdmin = await t.signup('admin@example.com');
});

const unique = () => Math.random().toString(36).slice(2);
const deliveryOf = (eventId: string) => db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
const replayAudits = (eventId: string) => db().auditEvent.findMany({ where: { action: 'delivery.replayed', target: eventId } });

/** Sends a delivery while payments cannot be written (a database outage for one table): it fails and is kept. */
async function failWhilePaymentsAreDown(delivery: { id: string; type: string; data?: unknown }) {
  const restore = await paymentsDown();
  try {
    expect((await t.webhook(delivery)).status).toBe(500);
  } finally {
    await restore();
  }
}

describe('replayDelivery', () => {
  it('applies a failed delivery once the cause is gone; audited; replaying it again (processed) does nothing', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: `in_replay_${unique()}`, planId: 'credits10' });
    await failWhilePaymentsAreDown(delivery);
    const stored = await deliveryOf(delivery.id);
    expect(stored).toMatchObject({ status: 'failed', lastError: expect.stringContaining('payments down') });

    const listed = await t.call('listFailedDeliveries', { limit: 100 }, siteAdmin);
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries).toContainEqual(expect.objectContaining({ id: stored.id, eventId: delivery.id, type: 'payment.succeeded', status: 'failed', attempts: 1 }));

    const res = await t.call('replayDelivery', { deliveryId: stored.id }, siteAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ deliveryId: stored.id, outcome: { status: 'processed' } });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await deliveryOf(delivery.id)).toMatchObject({ status: 'processed', attempts: 2, lastError: null });
    expect(await replayAudits(delivery.id)).toMatchObject([
      { actorType: 'user', actorId: siteAdmin.id, metadata: { deliveryId: stored.id, previousStatus: 'failed', outcome: { status: 'processed' } } },
    ]);

    const again = await t.call('replayDelivery', { deliveryId: stored.id }, siteAdmin);
    expect(again.body).toEqual({ deliveryId: stored.id, outcome: { status: 'duplicate' } });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await db().emailOutbox.count({ where: { recipient: owner.email, template: 'credits_purchased' } })).toBe(1);
    expect(await replayAudits(delivery.id)).toHaveLength(1);
    expect((await t.call('listFailedDeliveries', { limit: 100 }, siteAdmin)).body.deliveries.map((d: { id: string }) => d.id)).not.toContain(stored.id);
  });

  it('a parked delivery (its customer not linked yet) applies when the checkout links it; a replay then changes nothing', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const customerId = `cus_${unique()}`;
    const sent = paymentSucceeded(owner.workspaceId, { moneyId: `in_early_${unique()}`, planId: 'credits10' });
    const early = { ...sent, data: { ...sent.data, ref: { customerId } } };
    expect((await t.webhook(early)).body).toMatchObject({ ignored: false, parked: true, waitingFor: `customer ${customerId}` });
    const { id } = await deliveryOf(early.id);
    expect((await t.call('listFailedDeliveries', { limit: 100 }, siteAdmin)).body.deliveries).toContainEqual(
      expect.objectContaining({ id, status: 'parked', waitingFor: `customer ${customerId}` }),
    );
    await t.webhook(checkoutCompleted(owner.workspaceId, { customerId, planId: 'credits10' }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await deliveryOf(early.id)).toMatchObject({ status: 'processed', waitingFor: null });

    const res = await t.call('replayDelivery', { deliveryId: id }, siteAdmin);
    expect(res.body).toEqual({ deliveryId: id, outcome: { status: 'duplicate' } });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
  });

  it('a stored payload that no longer reads is reported, not applied, and recorded on the delivery', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: `in_bad_${unique()}`, planId: 'credits10' });
    await failWhilePaymentsAreDown(delivery);
    const { id } = await deliveryOf(delivery.id);
    await db().webhookDelivery.update({ where: { id }, data: { payload: { id: delivery.id, type: 'payment.succeeded', data: { ref: {} } } } });
    const res = await t.call('replayDelivery', { deliveryId: id }, siteAdmin);
    expect(res.body.outcome).toMatchObject({ status: 'failed', final: true, error: expect.stringContaining('payment.succeeded payload invalid') });
    expect(await deliveryOf(delivery.id)).toMatchObject({ status: 'failed', attempts: 2 });
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
  });

  it('404 for an unknown delivery; 400 without a delivery id', async () => {
    expect((await t.call('replayDelivery', { deliveryId: 'nope' }, siteAdmin)).status).toBe(404);
    expect((await t.call('replayDelivery', {}, siteAdmin)).status).toBe(400);
  });
});

describe('listFailedDeliveries', () => {
  it('narrows to the statuses asked for; an unknown status is a 400 naming the field', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const sent = paymentSucceeded(owner.workspaceId, { moneyId: `in_parked_${unique()}`, planId: 'credits10' });
    const parked = { ...sent, data: { ...sent.data, ref: { customerId: `cus_${unique()}` } } };
    await t.webhook(parked);
    const foreign = paymentSucceeded(`ws_not_ours_${unique()}`, { moneyId: `in_foreign_${unique()}`, planId: 'credits10' });
    expect((await t.webhook(foreign)).body).toMatchObject({ ignored: true });
    const ids = async (args: object) => ((await t.call('listFailedDeliveries', { limit: 100, ...args }, siteAdmin)).body.deliveries as { eventId: string; status: string }[]);

    const all = (await ids({})).map((d) => d.eventId);
    expect(all).toEqual(expect.arrayContaining([parked.id, foreign.id]));
    const attention = await ids({ statuses: ['failed', 'parked'] });
    expect(attention.map((d) => d.eventId)).toContain(parked.id);
    expect(attention.map((d) => d.eventId)).not.toContain(foreign.id);
    expect(new Set(attention.map((d) => d.status))).not.toContain('ignored');
    expect((await ids({ statuses: ['ignored'] })).map((d) => d.eventId)).toContain(foreign.id);

    const bad = await t.call('listFailedDeliveries', { statuses: ['processed'] }, siteAdmin);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/statuses/);
    expect((await t.call('listFailedDeliveries', { statuses: [] }, siteAdmin)).status).toBe(400);
  });
});

describe('replayFailedDeliveries', () => {
  it('replays every failed delivery oldest first and says what still fails', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const good = paymentSucceeded(owner.workspaceId, { moneyId: `in_bulk_${unique()}`, planId: 'credits10' });
    const stillBad = paymentSucceeded(owner.workspaceId, { moneyId: `in_bulk_bad_${unique()}`, planId: 'gold' });
    await failWhilePaymentsAreDown(good);
    expect((await t.webhook(stillBad)).status).toBe(500);

    const res = await t.call('replayFailedDeliveries', {}, siteAdmin);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.byOutcome.processed).toBeGreaterThanOrEqual(1);
    expect(res.body.stillFailing).toContainEqual(expect.objectContaining({ eventId: stillBad.id, status: 'failed', error: expect.stringContaining('Unknown plan "gold"') }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
    expect(await deliveryOf(good.id)).toMatchObject({ status: 'processed' });

    // Nothing more to do for the good one: a second run replays only what still fails.
    const second = await t.call('replayFailedDeliveries', {}, siteAdmin);
    expect(second.body.byOutcome.processed).toBe(0);
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
  });
});

describe('who may replay', () => {
  it.each([
    ['listFailedDeliveries', {}],
    ['replayDelivery', { deliveryId: 'x' }],
    ['replayFailedDeliveries', {}],
  ])('%s: anonymous 401, a workspace owner 403, nothing replayed', async (operation, args) => {
    const audits = await db().auditEvent.count({ where: { action: 'delivery.replayed' } });
    expect((await t.call(operation, args)).status).toBe(401);
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const res = await t.call(operation, args, owner);
    expect(res.status).toBe(403);
    expect(res.body.message).toMatch(/Only site admins/);
    expect(await db().auditEvent.count({ where: { action: 'delivery.replayed' } })).toBe(audits);
  });
});
