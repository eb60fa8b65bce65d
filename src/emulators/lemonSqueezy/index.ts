import { randomBytes, randomUUID } from 'node:crypto';
import { advanceTo } from './billing.js';
import { completeCheckout } from './checkoutFlow.js';
import { EmulatorClock } from './clock.js';
import type { EmulatorContext } from './context.js';
import { EventLog, type StoredWebhook } from './events.js';
import { updatePaymentMethod } from './lifecycle.js';
import { createEmulatorApp, listen, portOf } from './server.js';
import { parseId, Store, type VariantRecord } from './store.js';
import type { CurrencyCode, LemonSqueezyEmulator, LemonSqueezyEmulatorOptions } from './types.js';
import { WebhookDispatcher } from './webhooks.js';

export { CheckoutPaymentError } from './checkoutFlow.js';
export { webhookSignature } from './webhooks.js';
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
  }
  if (options.retry && (!(options.retry.attempts >= 1) || !(options.retry.baseDelayMs >= 0))) {
    throw new Error('startLemonSqueezyEmulator: retry.attempts must be >= 1 and retry.baseDelayMs >= 0');
  }
  return { storeId, variantIds };
}

/**
 * Starts a local Lemon Squeezy that the real `@lemonsqueezy/lemonsqueezy.js` SDK talks to over HTTP once its
 * origin is rewritten (`installApiOriginRedirect(emulator.url)` in src/payment/lemonSqueezy/apiOrigin.ts); see the README in this folder.
 */
export async function startLemonSqueezyEmulator(options: LemonSqueezyEmulatorOptions): Promise<LemonSqueezyEmulator> {
  const { storeId, variantIds } = validateOptions(options);
  const clock = new EmulatorClock();
  const created = clock.nowSec();
  const currency = (options.variants[0]?.currency ?? 'USD').toUpperCase() as CurrencyCode;
  const store = new Store({ id: storeId, name: 'Local test store', slug: 'local-test-store', currency, createdAt: created });
  options.variants.forEach((seed, i) => {
    const variant: VariantRecord = {
      id: variantIds[i]!,
      productId: store.nextId('product'),
      priceId: store.nextId('price'),
      productName: seed.productName,
      price: seed.price,
      currency: seed.currency.toUpperCase() as CurrencyCode,
      interval: seed.interval ?? null,
      createdAt: created,
    };
    store.variants.set(variant.id, variant);
  });

  const dispatcher = new WebhookDispatcher(options.webhookSecret, options.webhookUrl, options.retry ?? DEFAULT_RETRY);
  const events = new EventLog(randomUUID(), (webhook) => dispatcher.enqueue(webhook));
  let baseUrl = '';
  const ctx: EmulatorContext = { store, clock, events, portalKey: randomBytes(32), baseUrl: () => baseUrl };

  const deliverAndWait = (webhook: StoredWebhook) =>
    new Promise<void>((resolve) => {
      dispatcher.enqueue(webhook, resolve);
      if (dispatcher.isPaused()) resolve();
    });

  const emulator: LemonSqueezyEmulator = {
    get url() {
      return baseUrl;
    },
    get port() {
      return portOf(server);
    },
    setWebhookUrl(url) {
      dispatcher.setUrl(url);
    },
    async advanceClock(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error('advanceClock: seconds must be a number >= 0');
      advanceTo(ctx, clock.nowMs() / 1000 + seconds);
    },
    pauseDeliveries() {
      dispatcher.pause();
    },
    resumeDeliveries(resumeOptions) {
      return dispatcher.resume(resumeOptions?.order ?? 'sent');
    },
    async redeliver(deliveryId) {
      const webhook = events.get(deliveryId);
      if (!webhook) throw new Error(`No such delivery: ${deliveryId}`);
      await deliverAndWait(webhook);
    },
    deliveries() {
      return dispatcher.deliveries();
    },
    emitted() {
      return events.all();
    },
    idle() {
      return dispatcher.idle();
    },
    async completeCheckout(checkoutId, card) {
      const checkout = store.checkouts.get(checkoutId);
      if (!checkout) throw new Error(`No such checkout: ${checkoutId}`);
      advanceTo(ctx, clock.nowSec());
      const { redirectUrl } = completeCheckout(ctx, checkout, { card: card ?? '4242424242424242', fallbackEmail: 'customer@example.com' });
      return { redirectUrl };
    },
    async updatePaymentMethod(customerId) {
      const id = parseId(String(customerId));
      const customer = id === null ? undefined : store.customers.get(id);
      if (!customer) throw new Error(`No such customer: ${customerId}`);
      advanceTo(ctx, clock.nowSec());
      updatePaymentMethod(ctx, customer);
    },
    now() {
      return new Date(clock.nowMs());
    },
    async stop() {
      dispatcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };

  const app = createEmulatorApp(ctx, emulator);
  const server = await listen(app, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${portOf(server)}`;
  return emulator;
}
