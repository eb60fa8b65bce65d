import { beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '../db/client.js';
import { paymentFailed, paymentSucceeded } from '../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';
import type { ParsedDelivery } from './events.js';
import { createEventsProcessor } from '../test/eventsProcessor.js';
import { ProcessorError } from './paymentProcessor.js';
import { definePaymentProcessor } from './webhookHandler.js';

// The core's side of a processor's verdict on a signed delivery, over HTTP: ignored (not ours),
// unreadable (ours, not readable until a fix), and strings PostgreSQL refuses. The processor here is
// the fake with a plan catalog an operator can misconfigure: a payment for a plan it has not configured
// is unreadable, one from another shop ("shop": "other") is not ours.

const fake = createEventsProcessor({});
const configured = new Set(['credits10', 'hobby']);

function judge(delivery: ParsedDelivery): ParsedDelivery {
  const data = (delivery.payload as { data?: { shop?: string } }).data;
  if (data?.shop === 'unreachable') throw new ProcessorError('connection', 'Could not look up the invoice paid by pi_x: Request aborted due to timeout being reached (2000ms)');
  if (data?.shop === 'other') return { ...delivery, events: [], ignoredReason: 'another shop on the same account' };
  const unconfigured = delivery.events.find((event) => event.type === 'payment.succeeded' && event.planId && !configured.has(event.planId));
  if (unconfigured?.type === 'payment.succeeded') return { ...delivery, events: [], unreadable: `plan ${unconfigured.planId} has no configured price` };
  return delivery;
}

let t: TestServer;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer({
    fake,
    processor: definePaymentProcessor({
      ...fake,
      parseWebhook: async (rawBody, headers) => judge(await fake.parseWebhook(rawBody, headers)),
      mapStoredPayload: async (payload, type) => judge({ eventId: '', type, payload, ...(await fake.mapStoredPayload!(payload, type)) }),
    }),
  });
  siteAdmin = await t.signup('admin@example.com');
});

const unique = () => Math.random().toString(36).slice(2, 10);
const deliveryOf = (eventId: string) => db().webhookDelivery.findFirstOrThrow({ where: { eventId } });
const listed = async () => (await t.call('listFailedDeliveries', { limit: 100 }, siteAdmin)).body.deliveries as { id: string; status: string; lastError: string }[];

describe('a delivery whose reading needs the processor, unreachable', () => {
  it('answers 503 naming the call, records nothing, and applies on the retry', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const sent = paymentSucceeded(owner.workspaceId, { moneyId: `in_${unique()}`, planId: 'credits10' });
    const res = await t.webhook({ ...sent, data: { ...sent.data, shop: 'unreachable' } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(res.body.message).toMatch(/^fake could not be asked about this delivery, nothing was recorded; retry it: Could not look up the invoice paid by pi_x: /);
    expect(await db().webhookDelivery.count({ where: { eventId: sent.id } })).toBe(0);
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
    expect((await t.webhook(sent)).status).toBe(200);
    expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
  });
});

describe('a delivery that is not ours', () => {
  it('is acknowledged 200 with the reason, recorded ignored, listed, and changes nothing', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const sent = paymentSucceeded(owner.workspaceId, { moneyId: `in_${unique()}`, planId: 'credits10' });
    const foreign = { ...sent, data: { ...sent.data, shop: 'other' } };
    const res = await t.webhook(foreign);
    expect(res).toMatchObject({ status: 200, body: { ignored: true, reason: 'another shop on the same account' } });
    const stored = await deliveryOf(foreign.id);
    expect(stored).toMatchObject({ status: 'ignored', lastError: 'another shop on the same account', payload: foreign });
    expect(await listed()).toContainEqual(expect.objectContaining({ id: stored.id, status: 'ignored' }));
    expect((await t.workspace(owner.workspaceId)).credits).toBe(0);
  });
});

describe('a delivery of ours that cannot be read', () => {
  it('is stored failed (422) and logged; once the cause is fixed a replay applies it once', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const delivery = paymentSucceeded(owner.workspaceId, { moneyId: `in_${unique()}`, planId: 'pro' });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await t.webhook(delivery);
    const lines = logged.mock.calls.map((call) => call.join(' '));
    logged.mockRestore();
    expect(res).toMatchObject({ status: 422, body: { eventId: delivery.id, message: expect.stringContaining('plan pro has no configured price') } });
    expect(lines).toEqual([`[webhook] fake payment.succeeded ${delivery.id} failed: plan pro has no configured price`]);
    const stored = await deliveryOf(delivery.id);
    expect(stored).toMatchObject({ status: 'failed', lastError: 'plan pro has no configured price', payload: delivery });
    expect(await listed()).toContainEqual(expect.objectContaining({ id: stored.id, status: 'failed' }));
    expect(await db().payment.count({ where: { moneyId: delivery.data.money.moneyId } })).toBe(0);

    const stillBroken = await t.call('replayDelivery', { deliveryId: stored.id }, siteAdmin);
    expect(stillBroken.body.outcome).toMatchObject({ status: 'failed', final: true });

    configured.add('pro');
    const fixed = await t.call('replayDelivery', { deliveryId: stored.id }, siteAdmin);
    expect(fixed.body.outcome).toEqual({ status: 'processed' });
    const again = await t.call('replayDelivery', { deliveryId: stored.id }, siteAdmin);
    expect(again.body.outcome).toEqual({ status: 'duplicate' });
    expect(await db().payment.findMany({ where: { moneyId: delivery.data.money.moneyId } })).toMatchObject([{ status: 'succeeded', planId: 'pro' }]);
    expect(await db().emailOutbox.count({ where: { recipient: owner.email, template: 'payment_succeeded' } })).toBe(1);
    expect(await deliveryOf(delivery.id)).toMatchObject({ status: 'processed', lastError: null });
  });
});

describe('strings PostgreSQL refuses', () => {
  it('a NUL byte or a lone surrogate anywhere is stored as U+FFFD and the delivery applied', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const sent = paymentFailed(owner.workspaceId, { moneyId: `in_${unique()}`, id: `evt_${unique()}\ud800` });
    const delivery = { ...sent, data: { ...sent.data, reason: 'card\u0000declined', note: { 'key\u0000': 'lone \udc00 low' } } };
    const res = await t.webhook(delivery);
    expect(res).toMatchObject({ status: 200, body: { eventId: sent.id.replace('\ud800', '\ufffd') } });
    const stored = await deliveryOf(sent.id.replace('\ud800', '\ufffd'));
    expect(stored).toMatchObject({ status: 'processed', payload: { data: { reason: 'card\ufffddeclined', note: { 'key\ufffd': 'lone \ufffd low' } } } });
    expect(await db().auditEvent.findMany({ where: { workspaceId: owner.workspaceId, action: 'payment.failed' } })).toMatchObject([{ metadata: { reason: 'card\ufffddeclined' } }]);
    expect(await db().emailOutbox.findMany({ where: { recipient: owner.email } })).toMatchObject([{ template: 'payment_failed', data: { reason: 'card\ufffddeclined' } }]);
  });

  it('an unreadable delivery holding them is stored failed, not a 500', async () => {
    const owner = await t.signup(`owner-${unique()}@example.com`);
    const sent = paymentSucceeded(owner.workspaceId, { moneyId: `in_${unique()}\u0000`, planId: 'credits10', amount: -1 });
    const res = await t.webhook(sent);
    expect(res.status).toBe(422);
    expect(await deliveryOf(sent.id)).toMatchObject({ status: 'failed', payload: { data: { money: { moneyId: expect.stringMatching(/\ufffd$/) } } } });
  });
});
