import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCheckout, getSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, describe, expect, it } from 'vitest';
import { webhookSignature } from './index.js';
import type { EmittedWebhook, LsOrderData, LsSubscriptionData } from './types.js';
import { buy, DAY, ok, startHarness, STORE_ID, VARIANTS, WEBHOOK_SECRET, type Harness } from './testSupport.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('webhook delivery', () => {
  it('X-Signature is the hex HMAC-SHA256 of the exact body; X-Event-Name and Content-Type as LS sends them', async () => {
    h = await startHarness();
    let captured: { body: string; headers: import('node:http').IncomingHttpHeaders } | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured ??= { body: Buffer.concat(chunks).toString('utf8'), headers: req.headers };
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    h.emulator.setWebhookUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    server.close();
    expect(captured!.headers['x-signature']).toBe(createHmac('sha256', WEBHOOK_SECRET).update(captured!.body).digest('hex'));
    expect(captured!.headers['x-signature']).toBe(webhookSignature(captured!.body, WEBHOOK_SECRET));
    expect(captured!.headers['x-event-name']).toBe('order_created');
    expect(captured!.headers['content-type']).toBe('application/json');
    const body = JSON.parse(captured!.body) as { meta: Record<string, unknown>; data: LsOrderData };
    expect(Object.keys(body)).toEqual(['meta', 'data']);
    expect(Object.keys(body.meta)).toEqual(['event_name', 'custom_data', 'test_mode', 'webhook_id']);
    expect(Object.keys(body.data)).toEqual(['type', 'id', 'attributes', 'relationships', 'links']);
    expect(body.data.links.self).toBe(`${h.emulator.url}/v1/orders/${body.data.id}`);
  });

  it('a receiver with another secret rejects every delivery (the signature depends on the secret)', async () => {
    h = await startHarness({ webhookSecret: 'not-the-receivers-secret', retry: { attempts: 1, baseDelayMs: 0 } });
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    expect(h.receiver.accepted()).toEqual([]);
    expect(h.receiver.rejected).toHaveLength(1);
    expect(h.emulator.deliveries()).toEqual([{ deliveryId: 'dlv_1', eventName: 'order_created', status: 401, attempt: 1 }]);
  });

  it('delivery is asynchronous: the checkout completes before any webhook arrives', async () => {
    h = await startHarness();
    await buy(h);
    expect(h.receiver.received).toHaveLength(0);
    await h.emulator.idle();
    expect(h.receiver.names()).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
  });

  it('a delivery delay holds each webhook back (set over /_emulator too)', async () => {
    h = await startHarness();
    const res = await fetch(`${h.emulator.url}/_emulator/delivery-delay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms: 150 }) });
    expect(await res.json()).toEqual({ ms: 150 });
    await buy(h);
    await new Promise((r) => setTimeout(r, 75));
    expect(h.receiver.received).toHaveLength(0);
    await h.emulator.idle();
    expect(h.receiver.names()).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
  });

  it('objects carry the emulator clock: updated_at after advanceClock is the emulator time, not the wall clock', async () => {
    h = await startHarness();
    await h.emulator.advanceClock(40 * DAY);
    const { subscriptionId } = await buy(h);
    await h.emulator.idle();
    const created = h.receiver.accepted().find((w) => w.eventName === 'subscription_created')!.body.data as LsSubscriptionData;
    const updatedAt = Date.parse(created.attributes.updated_at);
    expect(updatedAt).toBeGreaterThan(Date.now() + 39 * DAY * 1000);
    expect(Math.abs(updatedAt - h.emulator.now().getTime())).toBeLessThan(5000);
    expect(created.attributes.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$/);
    // The webhook shows the object as the API does (portal URLs are signed on each read).
    const api = ok(await getSubscription(subscriptionId!)).data as unknown as LsSubscriptionData;
    const withoutUrls = (d: LsSubscriptionData) => ({ ...d, attributes: { ...d.attributes, urls: null } });
    expect(withoutUrls(created)).toEqual(withoutUrls(api));
  });

  it('pauses and resumes in reverse order', async () => {
    h = await startHarness();
    h.emulator.pauseDeliveries();
    await buy(h);
    await h.emulator.idle();
    expect(h.receiver.received).toHaveLength(0);
    const emitted = h.emulator.emitted().map((e) => e.eventName);
    expect(emitted).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
    await h.emulator.resumeDeliveries({ order: 'reverse' });
    expect(h.receiver.names()).toEqual([...emitted].reverse());
  });

  it('shuffle delivers every webhook once', async () => {
    h = await startHarness();
    h.emulator.pauseDeliveries();
    await buy(h);
    await buy(h, { variantId: VARIANTS.credits });
    const emitted = h.emulator.emitted().map((e) => e.id);
    await h.emulator.resumeDeliveries({ order: 'shuffle' });
    expect(h.emulator.deliveries().map((d) => d.deliveryId).sort()).toEqual([...emitted].sort());
    expect(h.receiver.accepted()).toHaveLength(5);
  });

  it('redeliver sends the same bytes (and so the same signature) again', async () => {
    h = await startHarness();
    await buy(h);
    await h.emulator.idle();
    const paid = h.emulator.emitted().find((e) => e.eventName === 'subscription_payment_success')!;
    await h.emulator.redeliver(paid.id);
    const copies = h.receiver.accepted().filter((w) => w.eventName === 'subscription_payment_success');
    expect(copies).toHaveLength(2);
    expect(copies[1]!.raw).toBe(copies[0]!.raw);
    expect(copies[1]!.signature).toBe(copies[0]!.signature);
    expect(JSON.parse(copies[0]!.raw)).toEqual(paid.body);
    expect(h.emulator.deliveries().filter((d) => d.deliveryId === paid.id)).toHaveLength(2);
    await expect(h.emulator.redeliver('dlv_999')).rejects.toThrow('No such delivery: dlv_999');
  });

  it('retries a non-2xx with backoff until the receiver accepts it', async () => {
    h = await startHarness({ retry: { attempts: 4, baseDelayMs: 20 } });
    h.receiver.respond = (_webhook, count) => (count <= 2 ? 500 : 200);
    const started = Date.now();
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    expect(h.emulator.deliveries()).toEqual([
      { deliveryId: 'dlv_1', eventName: 'order_created', status: 500, attempt: 1 },
      { deliveryId: 'dlv_1', eventName: 'order_created', status: 500, attempt: 2 },
      { deliveryId: 'dlv_1', eventName: 'order_created', status: 200, attempt: 3 },
    ]);
    // 20 ms, then 5 × 20 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(20 + 100 - 5);
  });

  it('gives up after the last attempt (LS: 1 + 3 retries); connection errors count as failures', async () => {
    h = await startHarness({ retry: { attempts: 4, baseDelayMs: 1 } });
    h.receiver.respond = () => 503;
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    expect(h.emulator.deliveries().map((d) => [d.status, d.attempt])).toEqual([
      [503, 1],
      [503, 2],
      [503, 3],
      [503, 4],
    ]);
    h.emulator.setWebhookUrl('http://127.0.0.1:1/nothing-listens-here');
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    expect(h.emulator.deliveries().slice(4).map((d) => d.status)).toEqual(['error', 'error', 'error', 'error']);
  });

  it('a later webhook is not held up by an earlier one being retried', async () => {
    h = await startHarness({ retry: { attempts: 3, baseDelayMs: 100 } });
    h.receiver.respond = (webhook, count) => (webhook.eventName === 'order_created' && count === 1 ? 500 : 200);
    await buy(h);
    await h.emulator.idle();
    expect(h.receiver.names()).toEqual(['subscription_created', 'subscription_payment_success', 'subscription_updated', 'order_created']);
  });

  it('without a webhook URL webhooks are recorded only; once one is set, new ones are delivered', async () => {
    h = await startHarness({ webhookUrl: undefined });
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    expect(h.emulator.emitted()).toHaveLength(1);
    expect(h.emulator.deliveries()).toEqual([]);
    h.emulator.setWebhookUrl(h.receiver.url);
    await buy(h, { variantId: VARIANTS.credits });
    await h.emulator.idle();
    expect(h.receiver.names()).toEqual(['order_created']);
  });
});

describe('HTTP controls', () => {
  it('complete-checkout, advance-clock, emitted, deliveries, now and redeliver over /_emulator', async () => {
    h = await startHarness();
    const checkout = ok(await createCheckout(STORE_ID, VARIANTS.pro, { checkoutData: { email: 'c@example.com' } }));
    const post = (path: string, body: unknown) =>
      fetch(`${h!.emulator.url}/_emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const declined = await post('complete-checkout', { checkoutId: checkout.data.id, card: '4000000000000002' });
    expect(declined.status).toBe(402);
    expect(await declined.json()).toMatchObject({ error: 'Your card was declined.', kind: 'declined' });
    const paid = await post('complete-checkout', { checkoutId: checkout.data.id, card: '4000000000000341' });
    expect(paid.status).toBe(200);
    expect(((await paid.json()) as { redirectUrl: string }).redirectUrl).toContain(`/checkout/${checkout.data.id}/orders/`);

    const before = Date.parse(((await (await fetch(`${h.emulator.url}/_emulator/now`)).json()) as { now: string }).now);
    expect((await post('advance-clock', { seconds: 32 * DAY })).status).toBe(200);
    const after = Date.parse(((await (await fetch(`${h.emulator.url}/_emulator/now`)).json()) as { now: string }).now);
    expect(after - before).toBeGreaterThanOrEqual(32 * DAY * 1000);

    const emitted = (await (await fetch(`${h.emulator.url}/_emulator/emitted`)).json()) as EmittedWebhook[];
    expect(emitted.map((e) => e.eventName)).toEqual([
      'order_created',
      'subscription_created',
      'subscription_payment_success',
      'subscription_updated',
      'subscription_payment_failed',
      'subscription_updated',
    ]);
    const customerId = (emitted[0]!.body.data as LsOrderData).attributes.customer_id;
    expect((await post('update-payment-method', { customerId })).status).toBe(200);
    expect((await post('idle', {})).status).toBe(200);
    expect((await post('redeliver', { deliveryId: emitted[0]!.id })).status).toBe(200);
    const deliveries = (await (await fetch(`${h.emulator.url}/_emulator/deliveries`)).json()) as { deliveries: { deliveryId: string }[] };
    expect(deliveries.deliveries.filter((d) => d.deliveryId === emitted[0]!.id)).toHaveLength(2);
    expect((await post('redeliver', { deliveryId: 'dlv_nope' })).status).toBe(404);
    expect((await post('advance-clock', { seconds: -1 })).status).toBe(400);
  });
});
