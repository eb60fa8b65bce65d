import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulatedStripe } from '../stripeEmulatorMode.js';
import { STATE_VERSION, StateFileError, startStripeEmulator } from './index.js';
import { DAY, sdkFor, startHarness, subscribe, TEST_PRICES, WEBHOOK_SECRET, type Harness } from './testSupport.js';

let dir: string;
let stateFile: string;
const open: Harness[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'stripe-emulator-state-'));
  stateFile = path.join(dir, 'stripe-emulator.json');
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ stateFile, ...options });
  open.push(h);
  return h;
}

async function stop(h: Harness): Promise<void> {
  open.splice(open.indexOf(h), 1);
  await h.close();
}

function startOn(file: string) {
  return startStripeEmulator({ webhookSecret: WEBHOOK_SECRET, prices: TEST_PRICES, stateFile: file });
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The ids the state file lists as not delivered yet. */
function savedPending(): string[] {
  return (JSON.parse(readFileSync(stateFile, 'utf8')) as { pendingDeliveries: string[] }).pendingDeliveries;
}

describe('state file', () => {
  it('keeps customers, subscriptions, invoices, payments and events across a restart, and billing carries on', async () => {
    const first = await start();
    const { customer, session, subscription } = await subscribe(first);
    const invoiceId = String(subscription.latest_invoice);
    const refund = await first.stripe.refunds.create({ payment_intent: String((await first.stripe.invoices.retrieve(invoiceId, { expand: ['payments'] })).payments!.data[0]!.payment.payment_intent), amount: 500 });
    const eventIds = first.emulator.events().map((e) => e.id);
    expect(eventIds.length).toBeGreaterThan(5);
    await first.emulator.idle(); // all delivered: none is left pending for the second run
    await stop(first);

    const second = await start();
    const restoredCustomer = (await second.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(restoredCustomer.email).toBe('owner@example.com');
    expect(restoredCustomer.metadata).toEqual({ workspaceId: 'ws_1' });
    const restoredSubscription = await second.stripe.subscriptions.retrieve(subscription.id);
    expect(restoredSubscription).toEqual(subscription);
    const invoice = await second.stripe.invoices.retrieve(invoiceId);
    expect(invoice.status).toBe('paid');
    expect(invoice.amount_paid).toBe(2900);
    expect((await second.stripe.checkout.sessions.retrieve(session.id)).subscription).toBe(subscription.id);
    expect((await second.stripe.events.retrieve(eventIds[0]!)).id).toBe(eventIds[0]);
    expect(second.emulator.events().map((e) => e.id)).toEqual(eventIds);
    expect(second.emulator.events().at(-1)!.data.object).toMatchObject({ id: refund.id, amount: 500 });
    // Saved events that were delivered are not delivered again by the new run.
    await second.emulator.idle();
    expect(second.receiver.deliveries).toHaveLength(0);

    // The subscription record (its card, its period) came back too: the renewal bills and pays.
    await second.emulator.advanceClock(31 * DAY);
    const renewed = await second.stripe.subscriptions.retrieve(subscription.id);
    expect(renewed.latest_invoice).not.toBe(invoiceId);
    const renewal = await second.stripe.invoices.retrieve(String(renewed.latest_invoice));
    expect(renewal).toMatchObject({ status: 'paid', billing_reason: 'subscription_cycle', amount_paid: 2900 });
    // Invoice numbering continues from the saved customer (EMU-0001, then EMU-0002 style).
    expect(renewal.number).not.toBe(invoice.number);
    await second.emulator.idle();
    expect(second.receiver.types()).toContain('invoice.paid');
  });

  it('keeps the clock offset across a restart', async () => {
    const first = await start();
    await first.emulator.advanceClock(40 * DAY);
    const before = first.emulator.now().getTime();
    await stop(first);

    const second = await start();
    const now = second.emulator.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now - Date.now()).toBeGreaterThan(40 * DAY * 1000 - 60_000);
    const customer = await second.stripe.customers.create({ email: 'later@example.com' });
    expect(customer.created * 1000).toBeGreaterThanOrEqual(before - 1000);
  });

  it('replays an idempotent POST answered before the restart', async () => {
    const first = await start();
    const created = await first.stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'create-once' });
    await stop(first);

    const second = await start();
    const replay = await second.stripe.customers.create({ email: 'once@example.com' }, { idempotencyKey: 'create-once' });
    expect(replay.id).toBe(created.id);
    expect(second.emulator.events().filter((e) => e.type === 'customer.created')).toHaveLength(1);
  });

  it('saves after each request, before stop (a crash loses at most the last few milliseconds)', async () => {
    const first = await start();
    const customer = await first.stripe.customers.create({ email: 'saved@example.com' });
    await until(() => {
      try {
        return readFileSync(stateFile, 'utf8').includes(customer.id);
      } catch {
        return false;
      }
    });
    // A second emulator on the file, as after a crash of the first (never stopped).
    const other = await startOn(stateFile);
    try {
      const client = sdkFor(other);
      expect(((await client.customers.retrieve(customer.id)) as Stripe.Customer).email).toBe('saved@example.com');
    } finally {
      await other.stop();
    }
  });

  it('writes atomically through a temporary file in the same folder, leaving none behind', async () => {
    const h = await start();
    for (let i = 0; i < 5; i++) {
      await h.stripe.customers.create({ email: `c${i}@example.com` });
      await new Promise((resolve) => setTimeout(resolve, i * 15));
    }
    await h.emulator.advanceClock(DAY);
    await stop(h);
    expect(readdirSync(dir)).toEqual(['stripe-emulator.json']);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { version: number; format: string; customers: unknown[] };
    expect(saved.format).toBe('stripe-emulator-state');
    expect(saved.version).toBe(STATE_VERSION);
    expect(saved.customers).toHaveLength(5);
  });

  it('cleans up its temporary file when a save fails, and stop() reports the failure naming the file', async () => {
    const h = await start();
    await h.stripe.customers.create({ email: 'lost@example.com' });
    // The target becomes a non-empty folder: the rename over it fails.
    rmSync(stateFile, { force: true });
    mkdirSync(path.join(stateFile, 'blocker'), { recursive: true });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await h.emulator.advanceClock(DAY);
      const error = await h.emulator.stop().catch((e: unknown) => e);
      expect((error as Error).message).toContain(`could not save its state to ${stateFile}`);
    } finally {
      errors.mockRestore();
      await h.receiver.close();
      open.splice(open.indexOf(h), 1);
    }
    expect(readdirSync(dir)).toEqual(['stripe-emulator.json']);
  });

  it('refuses a corrupt file, naming it, and leaves it in place', async () => {
    writeFileSync(stateFile, '{"format":"stripe-emulator-state","version":1,"customers":[');
    const error = await startOn(stateFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect((error as Error).message).toContain(stateFile);
    expect((error as Error).message).toMatch(/is not valid JSON/);
    expect(readFileSync(stateFile, 'utf8')).toBe('{"format":"stripe-emulator-state","version":1,"customers":[');
  });

  it('refuses a file of another version, and one whose contents do not fit, saying what is wrong', async () => {
    const h = await start();
    await subscribe(h);
    await stop(h);
    const good = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;

    writeFileSync(stateFile, JSON.stringify({ ...good, version: STATE_VERSION + 1 }));
    await expect(startOn(stateFile)).rejects.toThrow(new RegExp(`${stateFile.replace(/[.\\]/g, '\\$&')}: has version ${STATE_VERSION + 1}.*reads version ${STATE_VERSION} only.*newer`));

    const subscriptions = good.subscriptions as { subscription: { id: string } }[];
    subscriptions[0]!.subscription.id = 'oops';
    writeFileSync(stateFile, JSON.stringify(good));
    await expect(startOn(stateFile)).rejects.toThrow(/subscriptions\[0\]\.subscription\.id must be a string starting with "sub_"/);

    writeFileSync(stateFile, JSON.stringify({ hello: 'world' }));
    await expect(startOn(stateFile)).rejects.toThrow(/is not a Stripe emulator state file/);
  });

  it('refuses a pending delivery of an event the file does not hold', async () => {
    const h = await start();
    await stop(h);
    const good = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(stateFile, JSON.stringify({ ...good, pendingDeliveries: ['evt_missing'] }));
    await expect(startOn(stateFile)).rejects.toThrow(/pendingDeliveries\[0\]: the event evt_missing is not in the file/);
  });

  it('keeps the webhooks not delivered at stop (waiting for a retry, paused) and delivers them, in order, after the next start', async () => {
    const first = await start({ retry: { attempts: 4, baseDelayMs: 60_000 } });
    first.receiver.respond = () => 503; // the app is down: the first webhook waits for its retry
    await first.stripe.customers.create({ email: 'a@example.com' });
    await until(() => first.receiver.deliveries.length === 1);
    first.emulator.pauseDeliveries(); // the second stays queued
    await first.stripe.customers.create({ email: 'b@example.com' });
    const ids = first.emulator.events().map((e) => e.id);
    expect(ids).toHaveLength(2);
    await stop(first);
    expect(savedPending()).toEqual(ids);

    // Another receiver: they go to the URL this run delivers to.
    const second = await start();
    await until(() => second.receiver.types().length === 2);
    expect(second.receiver.accepted().map((d) => d.event.id)).toEqual(ids);
    expect(second.receiver.accepted().map((d) => (d.event.data.object as Stripe.Customer).email)).toEqual(['a@example.com', 'b@example.com']);
    // Delivered now: the file no longer lists them, and a third run sends nothing.
    await until(() => savedPending().length === 0);
    const third = await start();
    await third.emulator.idle();
    expect(third.receiver.deliveries).toHaveLength(0);
  });

  it('loads a file saved before pending deliveries were kept: nothing to deliver', async () => {
    const first = await start();
    first.emulator.pauseDeliveries();
    const customer = await first.stripe.customers.create({ email: 'old@example.com' });
    await stop(first);
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as Record<string, unknown>;
    expect(saved.pendingDeliveries).toHaveLength(1);
    delete saved.pendingDeliveries;
    writeFileSync(stateFile, JSON.stringify(saved));

    const second = await start();
    expect(((await second.stripe.customers.retrieve(customer.id)) as Stripe.Customer).email).toBe('old@example.com');
    await second.emulator.idle();
    expect(second.receiver.deliveries).toHaveLength(0);
  });

  it('keeps saved prices and adds newly seeded ones', async () => {
    const first = await start();
    const pro = await first.stripe.prices.retrieve('price_pro');
    await stop(first);

    const extra = { id: 'price_team', productName: 'Team', unitAmount: 9900, currency: 'usd', interval: 'month' as const };
    const second = await start({ prices: [TEST_PRICES[1]!, extra] });
    expect(await second.stripe.prices.retrieve('price_pro')).toEqual(pro);
    expect((await second.stripe.prices.retrieve('price_team')).unit_amount).toBe(9900);
    // A price only the file knows (old subscriptions may use it) is still there.
    expect((await second.stripe.prices.retrieve('price_hobby')).unit_amount).toBe(900);
  });

  it('moves the hosted page URL of a session that is still open to the new port', async () => {
    const first = await start();
    const session = await first.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: 'price_credits10', quantity: 1 }],
      success_url: 'http://app.test/ok',
    });
    await stop(first);

    const second = await start();
    const restored = await second.stripe.checkout.sessions.retrieve(session.id);
    expect(restored.url).toBe(`${second.emulator.url}/checkout/${session.id}`);
    expect((await fetch(restored.url!)).status).toBe(200);
  });

  it('startEmulatedStripe stays in memory unless given a stateFile', async () => {
    // Were a file used by default, the second in-memory run would find the first one's clock.
    const memory = await startEmulatedStripe({});
    await memory.emulator.advanceClock(5 * DAY);
    await memory.emulator.stop();
    const again = await startEmulatedStripe({});
    const drift = again.emulator.now().getTime() - Date.now();
    await again.emulator.stop();
    expect(Math.abs(drift)).toBeLessThan(60_000);

    const driver = await startEmulatedStripe({}, { stateFile });
    await driver.emulator.advanceClock(3 * DAY);
    await driver.emulator.stop();
    const restarted = await startEmulatedStripe({}, { stateFile });
    try {
      expect(restarted.emulator.now().getTime() - Date.now()).toBeGreaterThan(3 * DAY * 1000 - 60_000);
    } finally {
      await restarted.emulator.stop();
    }
  });
});
