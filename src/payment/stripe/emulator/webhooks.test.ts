import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { DAY, startHarness, subscribe, type Harness } from './testSupport.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('webhook delivery', () => {
  it('signs each delivery over the exact body with the wall-clock time, even after the clock moved', async () => {
    h = await startHarness();
    await h.emulator.advanceClock(40 * DAY);
    const customer = await h.stripe.customers.create({ email: 'sig@example.com' });
    await h.emulator.idle();
    expect(h.receiver.rejected).toEqual([]);
    const [delivery] = h.receiver.accepted();
    expect(delivery!.event.data.object).toMatchObject({ id: customer.id });
    // created follows the emulator clock; the signature's t is now.
    expect(delivery!.event.created).toBeGreaterThan(Date.now() / 1000 + 39 * DAY);
    const t = Number(/t=(\d+)/.exec(delivery!.signature)![1]);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60);
  });

  it('answers the API call before delivering (delivery is asynchronous)', async () => {
    h = await startHarness();
    h.emulator.deliveryDelayMs = 300;
    const started = Date.now();
    await h.stripe.customers.create({ email: 'fast@example.com' });
    expect(Date.now() - started).toBeLessThan(250);
    expect(h.receiver.deliveries).toHaveLength(0);
    await h.emulator.idle();
    expect(h.receiver.types()).toEqual(['customer.created']);
  });

  it('pauses and resumes in reverse order', async () => {
    h = await startHarness();
    h.emulator.pauseDeliveries();
    await subscribe(h);
    await h.emulator.idle();
    expect(h.receiver.deliveries).toHaveLength(0);
    const emitted = h.emulator.events().map((e) => e.id);
    await h.emulator.resumeDeliveries({ order: 'reverse' });
    expect(h.receiver.accepted().map((d) => d.event.id)).toEqual([...emitted].reverse());
  });

  it('shuffles on request, delivering every event once', async () => {
    h = await startHarness();
    h.emulator.pauseDeliveries();
    await subscribe(h);
    const emitted = h.emulator.events().map((e) => e.id);
    await h.emulator.resumeDeliveries({ order: 'shuffle' });
    expect(h.receiver.accepted().map((d) => d.event.id).sort()).toEqual([...emitted].sort());
  });

  it('redeliver sends the same event id again', async () => {
    h = await startHarness();
    await subscribe(h);
    await h.emulator.idle();
    const paid = h.emulator.events().find((e) => e.type === 'invoice.paid')!;
    await h.emulator.redeliver(paid.id);
    const copies = h.receiver.accepted().filter((d) => d.event.id === paid.id);
    expect(copies).toHaveLength(2);
    expect(copies[1]!.event).toEqual(copies[0]!.event);
  });

  it('duplicateAsNewEvent sends the same object under a new event id', async () => {
    h = await startHarness();
    await subscribe(h);
    await h.emulator.idle();
    const paid = h.emulator.events().find((e) => e.type === 'invoice.paid')! as Stripe.InvoicePaidEvent;
    const newId = await h.emulator.duplicateAsNewEvent(paid.id);
    expect(newId).not.toBe(paid.id);
    expect(newId).toMatch(/^evt_/);
    const copy = h.receiver.accepted().at(-1)!.event as Stripe.InvoicePaidEvent;
    expect(copy.id).toBe(newId);
    expect(copy.type).toBe('invoice.paid');
    expect(copy.data.object.id).toBe(paid.data.object.id);
    expect(copy.data.object).toEqual(paid.data.object);
    expect(h.emulator.events().at(-1)!.id).toBe(newId);
  });

  it('retries a 500 with backoff until the receiver accepts it', async () => {
    h = await startHarness({ retry: { attempts: 4, baseDelayMs: 30 } });
    h.receiver.respond = (_event, count) => (count <= 2 ? 500 : 200);
    const started = Date.now();
    await h.stripe.customers.create({ email: 'retry@example.com' });
    await h.emulator.idle();
    const [event] = h.emulator.events();
    expect(h.emulator.deliveries()).toEqual([
      { eventId: event!.id, status: 500, attempt: 1 },
      { eventId: event!.id, status: 500, attempt: 2 },
      { eventId: event!.id, status: 200, attempt: 3 },
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(30 + 60 - 5);
    expect(h.emulator.undelivered()).toEqual([]);
  });

  it('gives up after the last attempt and records it; connection errors count as failures', async () => {
    h = await startHarness({ retry: { attempts: 3, baseDelayMs: 10 } });
    h.receiver.respond = () => 503;
    await h.stripe.customers.create({ email: 'never@example.com' });
    await h.emulator.idle();
    const [event] = h.emulator.events();
    expect(h.emulator.deliveries().map((d) => d.status)).toEqual([503, 503, 503]);
    expect(h.emulator.undelivered()).toEqual([event!.id]);

    h.emulator.setWebhookUrl('http://127.0.0.1:1/nothing-listens-here');
    await h.stripe.customers.create({ email: 'nobody@example.com' });
    await h.emulator.idle();
    expect(h.emulator.deliveries().slice(3).map((d) => d.status)).toEqual(['error', 'error', 'error']);
  });

  it('a later event is not held up by an earlier one that is being retried', async () => {
    h = await startHarness({ retry: { attempts: 3, baseDelayMs: 100 } });
    h.receiver.respond = (event, count) => ((event.data.object as { email?: string }).email === 'first@example.com' && count === 1 ? 500 : 200);
    await h.stripe.customers.create({ email: 'first@example.com' });
    await h.stripe.customers.create({ email: 'second@example.com' });
    await h.emulator.idle();
    const emails = h.receiver.accepted().map((d) => (d.event.data.object as Stripe.Customer).email);
    expect(emails).toEqual(['second@example.com', 'first@example.com']);
  });

  it('records events without delivering when no webhook URL is set, and delivers once one is', async () => {
    h = await startHarness({ webhookUrl: undefined });
    await h.stripe.customers.create({ email: 'quiet@example.com' });
    await h.emulator.idle();
    expect(h.emulator.events()[0]!.pending_webhooks).toBe(0);
    expect(h.receiver.deliveries).toHaveLength(0);
    h.emulator.setWebhookUrl(h.receiver.url);
    await h.stripe.customers.create({ email: 'heard@example.com' });
    await h.emulator.idle();
    expect(h.receiver.types()).toEqual(['customer.created']);
  });

  it('the signature is HMAC-SHA256 of "<t>.<body>" with the secret', async () => {
    h = await startHarness();
    let captured: { body: string; header: string } | undefined;
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        captured = { body: Buffer.concat(chunks).toString('utf8'), header: String(req.headers['stripe-signature']) };
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as import('node:net').AddressInfo;
    h.emulator.setWebhookUrl(`http://127.0.0.1:${address.port}/`);
    await h.stripe.customers.create({ email: 'hmac@example.com' });
    await h.emulator.idle();
    server.close();
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(captured!.header)!;
    expect(v1).toBe(createHmac('sha256', 'whsec_emulator_test_secret').update(`${t}.${captured!.body}`).digest('hex'));
  });
});
