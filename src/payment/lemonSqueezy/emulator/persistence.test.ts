import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getCheckout, getCustomer, getOrder, getSubscription, getSubscriptionInvoice, getVariant } from '@lemonsqueezy/lemonsqueezy.js';
import { beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { startEmulatedLemonSqueezy } from '../lemonSqueezyEmulatorMode.js';
import { STATE_VERSION, StateFileError, startLemonSqueezyEmulator } from './index.js';
import { buy, DAY, ok, startHarness, STORE_ID, TEST_VARIANTS, VARIANTS, WEBHOOK_SECRET, type Harness } from './testSupport.js';

// Each test gets a folder of its own for the state file; `run()` starts a harness on it (closed after the
// test unless stopped before), `restart()` is a stop and a start on the same file.

let stateFile: string;
beforeEach(({ onTestFinished }) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'ls-emulator-state-'));
  stateFile = path.join(folder, 'lemonsqueezy-emulator.json');
  // Registered first, so it runs after the harnesses are closed (these hooks run last in, first out).
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
});

const running = new Set<Harness>();

async function run(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ stateFile, ...options });
  running.add(h);
  onTestFinished(async () => {
    if (running.delete(h)) await h.close();
  });
  return h;
}

async function stop(h: Harness): Promise<void> {
  running.delete(h);
  await h.close();
}

async function restart(h: Harness, options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  await stop(h);
  return run(options);
}

/** Only the state file in its folder: no temporary file left behind. */
function folderContents(): string[] {
  return readdirSync(path.dirname(stateFile));
}

/** A bare emulator on `file`, without the SDK redirect (a second process, or one that must fail to start). */
function emulatorOn(file: string, storeId: number = STORE_ID) {
  return startLemonSqueezyEmulator({ storeId, variants: TEST_VARIANTS, webhookSecret: WEBHOOK_SECRET, stateFile: file });
}

type SavedFile = Record<string, unknown> & { subscriptions: { id: number; attributes: Record<string, unknown> }[]; pendingDeliveries?: string[] };

function savedFile(): SavedFile {
  return JSON.parse(readFileSync(stateFile, 'utf8')) as SavedFile;
}

/** The origin of an emulator URL, so that URLs can be compared across runs on different ports. */
const ORIGIN = /^http:\/\/127\.0\.0\.1:\d+/;

describe('a restart on the same state file', () => {
  it('keeps the customer, order, subscription, invoice and checkout: the SDK reads them back and billing carries on', async () => {
    const first = await run();
    const bought = await buy(first, { email: 'owner@example.com' });
    await first.emulator.idle();
    const before = {
      customer: ok(await getCustomer(bought.customerId)).data.attributes,
      subscription: ok(await getSubscription(bought.subscriptionId!)).data.attributes,
      order: ok(await getOrder(bought.orderId)).data.attributes,
      invoice: ok(await getSubscriptionInvoice(bought.invoiceId!)).data.attributes,
      emitted: first.emulator.emitted(),
    };
    expect(before.emitted.map((e) => e.eventName)).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);

    const second = await restart(first);
    const after = {
      customer: ok(await getCustomer(bought.customerId)).data.attributes,
      subscription: ok(await getSubscription(bought.subscriptionId!)).data.attributes,
      order: ok(await getOrder(bought.orderId)).data.attributes,
      invoice: ok(await getSubscriptionInvoice(bought.invoiceId!)).data.attributes,
      checkout: ok(await getCheckout(bought.checkout.data.id)).data.attributes,
    };
    expect(after.customer).toMatchObject({ email: 'owner@example.com', mrr: 2900, total_revenue_currency: 2900 });
    // Everything as it was, but for URLs: signed afresh, and on the new port.
    expect({ ...after.subscription, urls: null }).toEqual({ ...before.subscription, urls: null });
    expect({ ...after.order, urls: null }).toEqual({ ...before.order, urls: null });
    expect({ ...after.invoice, urls: null }).toEqual({ ...before.invoice, urls: null });
    expect(after.order.urls.receipt).toBe(before.order.urls.receipt.replace(ORIGIN, second.emulator.url));
    expect(after.checkout.url).toBe(`${second.emulator.url}/checkout/${bought.checkout.data.id}`);
    for (const page of [after.checkout.url, after.order.urls.receipt, after.invoice.urls.invoice_url!]) expect((await fetch(page)).status).toBe(200);
    // A portal link handed out before the restart still opens: the signing key was kept.
    expect((await fetch(before.customer.urls.customer_portal!.replace(ORIGIN, second.emulator.url))).status).toBe(200);

    // The emitted webhooks are kept, byte for byte, and not delivered again.
    expect(second.emulator.emitted()).toEqual(before.emitted);
    await second.emulator.idle();
    expect(second.receiver.received).toEqual([]);

    // The subscription's card and period came back too: the renewal is charged and paid.
    await second.emulator.advanceClock(32 * DAY);
    await second.emulator.idle();
    expect(second.receiver.names()).toEqual(['subscription_payment_success', 'subscription_updated']);
    const renewal = second.receiver.accepted()[0]!.body;
    expect(renewal.meta.webhook_id).toBe(before.emitted[0]!.body.meta.webhook_id);
    expect(renewal.data.id).not.toBe(bought.invoiceId);
    expect(renewal.data.attributes).toMatchObject({ billing_reason: 'renewal', status: 'paid', customer_id: Number(bought.customerId) });
    await stop(second);
    expect(folderContents()).toEqual(['lemonsqueezy-emulator.json']);
  });

  it('keeps the clock: stop() saves the offset of an advance made just before it', async () => {
    const first = await run();
    await first.emulator.advanceClock(40 * DAY);
    const stoppedAt = first.emulator.now().getTime();

    const second = await restart(first);
    expect(second.emulator.now().getTime()).toBeGreaterThanOrEqual(stoppedAt);
    expect(second.emulator.now().getTime() - Date.now()).toBeGreaterThan(40 * DAY * 1000 - 60_000);
    const later = await buy(second, { email: 'later@example.com' });
    expect(Date.parse(ok(await getOrder(later.orderId)).data.attributes.created_at)).toBeGreaterThanOrEqual(stoppedAt - 1000);
    await stop(second);
    expect(folderContents()).toEqual(['lemonsqueezy-emulator.json']);
  });

  it('numbers new objects after the saved ones: no id, order number or delivery id comes twice', async () => {
    const first = await run();
    const a = await buy(first, { email: 'a@example.com' });
    const credits = await buy(first, { email: 'a@example.com', variantId: VARIANTS.credits });
    const aOrder = ok(await getOrder(a.orderId)).data.attributes;
    const aItem = ok(await getSubscription(a.subscriptionId!)).data.attributes.first_subscription_item!.id;
    const firstDeliveries = first.emulator.emitted().map((e) => e.id);

    const second = await restart(first);
    const b = await buy(second, { email: 'b@example.com' });
    expect(Number(b.customerId)).toBeGreaterThan(Number(a.customerId));
    expect(Number(b.orderId)).toBeGreaterThan(Number(credits.orderId));
    expect(Number(b.subscriptionId)).toBeGreaterThan(Number(a.subscriptionId));
    expect(Number(b.invoiceId)).toBeGreaterThan(Number(a.invoiceId));
    const bOrder = ok(await getOrder(b.orderId)).data.attributes;
    expect(bOrder.order_number).toBe(aOrder.order_number + 2);
    expect(bOrder.first_order_item.id).toBe(aOrder.first_order_item.id + 2);
    const bSubscription = ok(await getSubscription(b.subscriptionId!)).data.attributes;
    expect(bSubscription.first_subscription_item!.id).toBe(aItem + 1);
    // Variants keep their products; earlier objects stay whose they were; a returning email is the same customer.
    expect(ok(await getVariant(VARIANTS.pro)).data.attributes.product_id).toBe(bSubscription.product_id);
    expect(ok(await getOrder(credits.orderId)).data.attributes.customer_id).toBe(Number(a.customerId));
    expect((await buy(second, { email: 'a@example.com', variantId: VARIANTS.credits })).customerId).toBe(a.customerId);
    const deliveries = second.emulator.emitted().map((e) => e.id);
    expect(deliveries.slice(0, firstDeliveries.length)).toEqual(firstDeliveries);
    expect(new Set(deliveries).size).toBe(deliveries.length);
  });

  it('finds what was saved without a stop, as after a crash (saves follow each change)', async () => {
    const h = await run();
    const bought = await buy(h);
    await vi.waitFor(() => expect(savedFile().subscriptions.map((s) => String(s.id))).toContain(bought.subscriptionId));
    const other = await emulatorOn(stateFile);
    try {
      const response = await fetch(`${other.url}/v1/subscriptions/${bought.subscriptionId}`, { headers: { authorization: 'Bearer key' } });
      expect(response.status).toBe(200);
    } finally {
      await other.stop();
    }
  });

  it('keeps the webhooks not delivered at stop (waiting for a retry, paused) and delivers them, in order, after the next start', async () => {
    const first = await run({ retry: { attempts: 4, baseDelayMs: 60_000 } });
    first.receiver.respond = () => 503; // the app is down: the first webhook waits for its retry
    await buy(first, { variantId: VARIANTS.credits });
    await vi.waitFor(() => expect(first.receiver.received).toHaveLength(1));
    first.emulator.pauseDeliveries(); // the next ones stay queued
    await buy(first, { email: 'other@example.com' });
    const emitted = first.emulator.emitted().map((e) => e.id);
    expect(emitted.length).toBeGreaterThan(2);
    await stop(first);
    expect(savedFile().pendingDeliveries).toEqual(emitted);

    // Another receiver: they go to the URL this run delivers to.
    const second = await run();
    await vi.waitFor(() => expect(second.receiver.accepted()).toHaveLength(emitted.length));
    expect(second.receiver.accepted().map((d) => d.raw)).toEqual(second.emulator.emitted().map((e) => JSON.stringify(e.body)));
    // Delivered now: the file no longer lists them, and a third run sends nothing.
    await vi.waitFor(() => expect(savedFile().pendingDeliveries).toEqual([]));
    const third = await restart(second);
    await third.emulator.idle();
    expect(third.receiver.received).toEqual([]);
  });

  it('loads a file saved before pending deliveries were kept: nothing to deliver', async () => {
    const first = await run();
    first.emulator.pauseDeliveries();
    const bought = await buy(first);
    await stop(first);
    const saved = savedFile();
    expect(saved.pendingDeliveries).toHaveLength(first.emulator.emitted().length);
    delete saved.pendingDeliveries;
    writeFileSync(stateFile, JSON.stringify(saved));

    const second = await run();
    expect(ok(await getSubscription(bought.subscriptionId!)).data.attributes.status).toBe('active');
    await second.emulator.idle();
    expect(second.receiver.received).toEqual([]);
  });

  it('keeps saved variants, moves a changed seed onto the same product, and adds new ones', async () => {
    const first = await run();
    const pro = ok(await getVariant(VARIANTS.pro)).data.attributes;
    const hobby = await buy(first, { variantId: VARIANTS.hobby });

    const team = { id: 1005, productName: 'Team', price: 9900, currency: 'usd', interval: 'month' as const };
    const second = await restart(first, { variants: [{ ...TEST_VARIANTS[1]!, price: 3900 }, team] });
    expect(ok(await getVariant(VARIANTS.pro)).data.attributes).toMatchObject({ price: 3900, product_id: pro.product_id, created_at: pro.created_at });
    expect(ok(await getVariant(team.id)).data.attributes.price).toBe(9900);
    // No seed names the hobby variant any more; the file keeps it, and its subscription still renews.
    expect(ok(await getVariant(VARIANTS.hobby)).data.attributes.price).toBe(900);
    await second.emulator.advanceClock(32 * DAY);
    expect(ok(await getSubscription(hobby.subscriptionId!)).data.attributes.status).toBe('active');
  });
});

describe('a state file the emulator cannot use', () => {
  it('stops the start with StateFileError naming the file when it is corrupt, and stays as it was', async () => {
    const corrupt = '{"format":"lemonsqueezy-emulator-state","version":1,"customers":[';
    writeFileSync(stateFile, corrupt);
    const error = await emulatorOn(stateFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateFileError);
    expect(error).toMatchObject({ file: stateFile, message: expect.stringContaining(`${stateFile}: is not valid JSON`) });
    expect(readFileSync(stateFile, 'utf8')).toBe(corrupt);
    expect(folderContents()).toEqual(['lemonsqueezy-emulator.json']);
  });

  type Edit = (saved: SavedFile & { counters: { next: Record<string, number> } }) => unknown;
  it.each<[string, Edit, string, number?]>([
    ['a newer version', (saved) => ({ ...saved, version: STATE_VERSION + 1 }), `has version ${STATE_VERSION + 1}, .*reads version ${STATE_VERSION} only .*a newer`],
    ['an older version', (saved) => ({ ...saved, version: 0 }), 'has version 0, .*another'],
    ['a foreign file', () => ({ format: 'stripe-emulator-state', version: 1 }), 'is not a Lemon Squeezy emulator state file'],
    ['a record that does not fit', (saved) => ((saved.subscriptions[0]!.attributes.status = 'sleeping'), saved), 'subscriptions\\[0\\]\\.attributes\\.status: '],
    ['a counter behind a saved id', (saved) => ((saved.counters.next.customer = 100_001), saved), 'counters\\.next\\.customer: must be above 100001'],
    ['a pending delivery of no saved webhook', (saved) => ({ ...saved, pendingDeliveries: ['dlv_999'] }), 'pendingDeliveries\\[0\\]: webhook dlv_999 is not in the file'],
    ['another store', (saved) => saved, `belongs to store ${STORE_ID}, and this emulator is started for store 999`, 999],
  ])('refuses %s, saying what is wrong', async (_case, edit, problem, storeId) => {
    const h = await run();
    await buy(h);
    await stop(h);
    const text = JSON.stringify(edit(savedFile() as Parameters<Edit>[0]));
    writeFileSync(stateFile, text);
    await expect(emulatorOn(stateFile, storeId)).rejects.toThrow(new RegExp(`^Lemon Squeezy emulator state file ${stateFile.replace(/[.\\]/g, '\\$&')}: ${problem}`));
    expect(readFileSync(stateFile, 'utf8')).toBe(text);
  });
});

describe('startEmulatedLemonSqueezy', () => {
  it.each([
    ['in memory without a stateFile', false],
    ['on the stateFile it is given', true],
  ])('runs %s', async (_how, onFile) => {
    // Two runs one after the other: the second finds the first one's clock only when they share a file.
    const clockAhead: boolean[] = [];
    for (let i = 0; i < 2; i++) {
      const driver = await startEmulatedLemonSqueezy({}, onFile ? { stateFile } : {});
      clockAhead.push(driver.emulator.now().getTime() - Date.now() > DAY * 1000);
      await driver.emulator.advanceClock(2 * DAY);
      await driver.emulator.stop();
    }
    expect(clockAhead).toEqual([false, onFile]);
  });
});
