import { randomBytes, randomUUID } from 'node:crypto';
import { StateWriter } from '../../../emulators/stateFile.js';
import { advanceTo } from './billing.js';
import { completeCheckout } from './checkoutFlow.js';
import { sendForeignTraffic } from './foreignTraffic.js';
import { EmulatorClock } from '../../../emulators/shared/clock.js';
import type { EmulatorContext } from './context.js';
import { EventLog, type StoredWebhook } from './events.js';
import { updatePaymentMethod } from './lifecycle.js';
import { loadState, moveSavedUrls, restoreStore, serializeState } from './persistence.js';
import { listen, portOf } from '../../../emulators/shared/server.js';
import { createEmulatorApp } from './server.js';
import { parseId, Store } from './store.js';
import type { CurrencyCode, LemonSqueezyEmulator, LemonSqueezyEmulatorOptions, VariantSeed } from './types.js';
import { WebhookDispatcher, type DeliveryRecord } from './webhooks.js';
import { lemonSqueezyWebhookTarget } from './webhookTarget.js';
import { composeEmulator, deliverAndWait } from '../../../emulators/shared/emulator.js';

export { CheckoutPaymentError } from './checkoutFlow.js';
export { webhookSignature } from './webhooks.js';
export { STATE_VERSION, StateFileError } from './persistence.js';
export type {
  DeliveryRecord,
  EmittedWebhook,
  LemonSqueezyEmulator,
  LemonSqueezyEmulatorOptions,
  LsEventName,
  LsWebhookBody,
  ResumeOrder,
  RetryPolicy,
  VariantSeed,
} from './types.js';

/** LS retries a failed webhook 3 times: after 5 s, 25 s and 125 s. */
const DEFAULT_RETRY = { attempts: 4, baseDelayMs: 5000 };

function positiveId(value: number | string, what: string): number {
  const id = parseId(String(value));
  if (id === null) throw new Error(`startLemonSqueezyEmulator: ${what} must be a positive integer (LS ids are), got ${JSON.stringify(value)}`);
  return id;
}

function validateOptions(options: LemonSqueezyEmulatorOptions): { storeId: number; variantIds: number[] } {
  if (!options.webhookSecret) throw new Error('startLemonSqueezyEmulator: webhookSecret is required');
  const storeId = positiveId(options.storeId, 'storeId');
  const variantIds: number[] = [];
  for (const seed of options.variants) {
    const id = positiveId(seed.id, 'variant id');
    if (variantIds.includes(id)) throw new Error(`startLemonSqueezyEmulator: variant ids must be unique (${id})`);
    variantIds.push(id);
    if (!seed.productName) throw new Error(`startLemonSqueezyEmulator: variant ${id}: productName is required`);
    if (!Number.isInteger(seed.price) || seed.price < 0) throw new Error(`startLemonSqueezyEmulator: variant ${id}: price must be an integer >= 0 (minor units)`);
    if (!/^[a-zA-Z]{3}$/.test(seed.currency)) throw new Error(`startLemonSqueezyEmulator: variant ${id}: currency must be a 3-letter code`);
    if (seed.interval !== undefined && seed.interval !== 'month' && seed.interval !== 'year') {
      throw new Error(`startLemonSqueezyEmulator: variant ${id}: interval must be "month" or "year"`);
    }
    if (seed.trialDays !== undefined && (!Number.isInteger(seed.trialDays) || seed.trialDays < 0 || !seed.interval)) {
      throw new Error(`startLemonSqueezyEmulator: variant ${id}: trialDays must be an integer >= 0, on a subscription variant`);
    }
  }
  if (options.retry && (!(options.retry.attempts >= 1) || !(options.retry.baseDelayMs >= 0))) {
    throw new Error('startLemonSqueezyEmulator: retry.attempts must be >= 1 and retry.baseDelayMs >= 0');
  }
  if (options.stateFile !== undefined && options.stateFile.trim() === '') throw new Error('startLemonSqueezyEmulator: stateFile must be a file path');
  return { storeId, variantIds };
}

/**
 * Adds the seeded variants, each the one variant of a product of its own. A variant kept from the state
 * file stays as it is while its seed still describes it; when the seed changed (name, price, currency,
 * interval, trial) it takes the seed's values under the same product, with a new price id. Saved variants no seed
 * names are kept (their subscriptions and checkouts still use them).
 */
function seedVariants(store: Store, seeds: VariantSeed[], ids: number[], now: number): void {
  seeds.forEach((seed, i) => {
    const id = ids[i]!;
    const wanted = {
      productName: seed.productName,
      price: seed.price,
      currency: seed.currency.toUpperCase() as CurrencyCode,
      interval: seed.interval ?? null,
      trialDays: seed.trialDays ?? 0,
    };
    const existing = store.variants.get(id);
    if (existing && (Object.keys(wanted) as (keyof typeof wanted)[]).every((key) => existing[key] === wanted[key])) return;
    const productId = existing?.productId ?? store.nextId('product');
    store.variants.set(id, { id, productId, priceId: store.nextId('price'), ...wanted, createdAt: existing?.createdAt ?? now });
  });
}

/**
 * Starts a local Lemon Squeezy that the real `@lemonsqueezy/lemonsqueezy.js` SDK talks to over HTTP once its
 * origin is rewritten (`installApiOriginRedirect(emulator.url)` in src/payment/lemonSqueezy/apiOrigin.ts); see the README in this folder.
 */
export async function startLemonSqueezyEmulator(options: LemonSqueezyEmulatorOptions): Promise<LemonSqueezyEmulator> {
  const { storeId, variantIds } = validateOptions(options);
  // Before anything listens: a state file that cannot be used stops the start (StateFileError).
  const saved = options.stateFile ? loadState(options.stateFile, storeId) : null;
  const clock = new EmulatorClock({ roundSettle: true });
  if (saved) clock.restore(saved.clock.offsetMs, saved.clock.nowMs);
  const currency = (options.variants[0]?.currency ?? 'USD').toUpperCase() as CurrencyCode;
  const store = saved
    ? restoreStore(saved)
    : new Store({ id: storeId, name: 'Local test store', slug: 'local-test-store', currency, createdAt: clock.nowSec() });
  seedVariants(store, options.variants, variantIds, clock.nowSec());

  // Deliveries go to one URL, as the webhook kept for it says: its secret, its events (webhookTarget.ts).
  const target = lemonSqueezyWebhookTarget(store, clock, { url: options.webhookUrl, secret: options.webhookSecret });
  const dispatcher = new WebhookDispatcher(() => target.secret(), options.webhookUrl, options.retry ?? DEFAULT_RETRY, () => changed());
  const onEmit = (webhook: StoredWebhook) => {
    if (target.wants(webhook.eventName)) dispatcher.enqueue(webhook);
    changed();
  };
  // Webhooks saved by an earlier run are not delivered again (but those it left pending, below).
  const events = new EventLog(saved?.webhookId ?? randomUUID(), onEmit, saved?.webhooks);
  let baseUrl = '';
  const portalKey = saved ? Buffer.from(saved.portalKey, 'hex') : randomBytes(32);
  const ctx: EmulatorContext = { store, clock, events, portalKey, baseUrl: () => baseUrl };
  const writer = options.stateFile ? new StateWriter(options.stateFile, () => serializeState(ctx, dispatcher.pending())) : null;
  const changed = () => writer?.schedule();

  const parts = { dispatcher, clock, server: () => server, baseUrl: () => baseUrl, writer };
  const emulator = composeEmulator<LemonSqueezyEmulator, DeliveryRecord, StoredWebhook>(parts, {

    async advanceClock(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error('advanceClock: seconds must be a number >= 0');
      advanceTo(ctx, clock.nowMs() / 1000 + seconds);
      changed();
    },
    async redeliver(deliveryId) {
      const webhook = events.get(deliveryId);
      if (!webhook) throw new Error(`No such delivery: ${deliveryId}`);
      await deliverAndWait(dispatcher, webhook);
    },
    emitted() {
      return events.all();
    },
    async completeCheckout(checkoutId, card) {
      const checkout = store.checkouts.get(checkoutId);
      if (!checkout) throw new Error(`No such checkout: ${checkoutId}`);
      advanceTo(ctx, clock.nowSec());
      const { redirectUrl } = completeCheckout(ctx, checkout, { card: card ?? '4242424242424242', fallbackEmail: 'customer@example.com' });
      return { redirectUrl };
    },
    async sendForeignTraffic(traffic) {
      advanceTo(ctx, clock.nowSec());
      sendForeignTraffic(ctx, traffic);
      changed();
    },
    async updatePaymentMethod(customerId) {
      const id = parseId(String(customerId));
      const customer = id === null ? undefined : store.customers.get(id);
      if (!customer) throw new Error(`No such customer: ${customerId}`);
      advanceTo(ctx, clock.nowSec());
      updatePaymentMethod(ctx, customer);
      changed(); // the customer's card, even when no subscription changed
    },
  });

  // A new delivery URL gets its webhook in the store too (webhookTarget.ts).
  const moveDispatcher = emulator.setWebhookUrl.bind(emulator);
  emulator.setWebhookUrl = (url) => {
    target.moveTo(url);
    moveDispatcher(url);
    changed();
  };

  const app = createEmulatorApp(ctx, emulator, { afterChange: changed });
  const server = await listen(app, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${portOf(server)}`;
  if (saved) moveSavedUrls(store, saved.baseUrl, baseUrl);
  // What the earlier run had not delivered goes out now, in its order, to this run's URL (as LS keeps retrying).
  for (const id of saved?.pendingDeliveries ?? []) onEmit(events.get(id)!);
  changed(); // the file then exists from the start, with the seeded variants and the new URL
  return emulator;
}
