import type Stripe from 'stripe';
import { advanceTo } from './billing.js';
import { DEFAULT_TEST_CARD, findTestCard, storedCard } from './cards.js';
import { completeCheckout } from './checkoutFlow.js';
import { EmulatorClock } from '../../../emulators/shared/clock.js';
import type { EmulatorContext } from './context.js';
import { EventLog } from './events.js';
import { sendForeignTraffic } from './foreignTraffic.js';
import { newPrice, newProduct, productIdOf, type PriceSeed } from './objects/catalog.js';
import { StateWriter } from '../../../emulators/stateFile.js';
import { loadState, serializeState } from './persistence.js';
import { listen, portOf } from '../../../emulators/shared/server.js';
import { createEmulatorApp } from './server.js';
import { snapshot } from './snapshot.js';
import { Store, type WebhookEndpointRecord } from './store.js';
import type { WebhookTarget } from '../../../emulators/shared/webhookTarget.js';
import { stripeWebhookTarget } from './webhookTarget.js';
import type { StripeEmulator, StripeEmulatorOptions } from './types.js';
import { WebhookDispatcher, type DeliveryRecord } from './webhooks.js';
import { composeEmulator, deliverAndWait } from '../../../emulators/shared/emulator.js';

export { CheckoutPaymentError } from './checkoutFlow.js';
export { API_VERSION } from './events.js';
export { signatureHeader } from './webhooks.js';
export { STATE_VERSION, StateFileError } from './persistence.js';
export type { DeliveryRecord, PriceSeed, ResumeOrder, RetryPolicy, StripeEmulator, StripeEmulatorOptions, StripeForeignTraffic } from './types.js';

const DEFAULT_RETRY = { attempts: 5, baseDelayMs: 500 };

function validateOptions(options: StripeEmulatorOptions): void {
  if (!options.webhookSecret) throw new Error('startStripeEmulator: webhookSecret is required');
  const ids = new Set<string>();
  for (const price of options.prices) {
    if (!price.id || ids.has(price.id)) throw new Error(`startStripeEmulator: price ids must be unique and non-empty (${price.id})`);
    ids.add(price.id);
    if (!Number.isInteger(price.unitAmount) || price.unitAmount < 0) throw new Error(`startStripeEmulator: ${price.id}: unitAmount must be an integer >= 0`);
    if (!/^[a-zA-Z]{3}$/.test(price.currency)) throw new Error(`startStripeEmulator: ${price.id}: currency must be a 3-letter code`);
  }
  if (options.retry && (options.retry.attempts < 1 || options.retry.baseDelayMs < 0)) {
    throw new Error('startStripeEmulator: retry.attempts must be >= 1 and retry.baseDelayMs >= 0');
  }
  if (options.stateFile !== undefined && options.stateFile.trim() === '') throw new Error('startStripeEmulator: stateFile must be a file path');
}

function matchesSeed(price: Stripe.Price, seed: PriceSeed): boolean {
  return (
    price.unit_amount === seed.unitAmount &&
    price.currency === seed.currency.toLowerCase() &&
    (price.recurring?.interval ?? undefined) === seed.interval &&
    price.nickname === seed.productName
  );
}

/**
 * Adds the seeded products and prices. A price kept from the state file stays as it is when the seed still
 * describes it; when the seed changed (amount, currency, interval, name), the seed replaces it for new
 * checkouts, under the same product. Saved prices no seed names are kept (old subscriptions may use them).
 */
function seedCatalog(store: Store, seeds: PriceSeed[], now: number): void {
  for (const seed of seeds) {
    const existing = store.prices.get(seed.id);
    if (existing && matchesSeed(existing, seed)) continue;
    let product = existing ? store.products.get(productIdOf(existing)) : undefined;
    if (product) {
      product.name = seed.productName;
      product.updated = now;
    } else {
      product = newProduct(seed, now);
      store.products.set(product.id, product);
    }
    store.prices.set(seed.id, newPrice(seed, product.id, now));
  }
}

/** Open sessions saved by an earlier run point at its port: move their hosted-page URLs to this one. */
function moveHostedPages(store: Store, from: string, to: string): void {
  const move = (url: string | null) => (url?.startsWith(`${from}/`) ? to + url.slice(from.length) : url);
  for (const { session } of store.checkoutSessions.values()) session.url = move(session.url);
  for (const session of store.portalSessions.values()) session.url = move(session.url) ?? session.url;
}

/** Starts a local Stripe that the real `stripe` SDK talks to over HTTP (see README in this folder). */
export async function startStripeEmulator(options: StripeEmulatorOptions): Promise<StripeEmulator> {
  validateOptions(options);
  const clock = new EmulatorClock();
  const store = new Store();
  let target: WebhookTarget<WebhookEndpointRecord> | undefined;
  const dispatcher = new WebhookDispatcher(() => target!.secret(), options.webhookUrl, options.retry ?? DEFAULT_RETRY, () => changed());
  const send = (event: Stripe.Event, settle?: () => void) => {
    if (target!.wants(event.type)) dispatcher.enqueue(event, settle);
    else settle?.();
    changed();
  };
  const events = new EventLog(clock, () => (dispatcher.hasUrl() ? 1 : 0), send);
  let baseUrl = '';
  const ctx: EmulatorContext = { store, clock, events, baseUrl: () => baseUrl };

  // Before anything listens: a state file that cannot be used stops the start (StateFileError).
  const loaded = options.stateFile ? loadState(options.stateFile, store, events, clock) : null;
  seedCatalog(store, options.prices, clock.nowSec());
  // Deliveries go to one URL, as the endpoint kept for it says: its secret, its events (../shared/webhookTarget.ts).
  target = stripeWebhookTarget(store, clock, { url: options.webhookUrl, secret: options.webhookSecret });
  const writer = options.stateFile ? new StateWriter(options.stateFile, () => serializeState(store, events, clock, baseUrl, dispatcher.pending())) : null;
  const changed = () => writer?.schedule();

  const parts = { dispatcher, clock, server: () => server, baseUrl: () => baseUrl, writer };
  const emulator = composeEmulator<StripeEmulator, DeliveryRecord, Stripe.Event>(parts, {
    async advanceClock(seconds) {
      if (!Number.isFinite(seconds) || seconds < 0) throw new Error('advanceClock: seconds must be a number >= 0');
      advanceTo(ctx, clock.nowSec() + Math.round(seconds));
      changed();
    },
    async redeliver(eventId) {
      const event = events.get(eventId);
      if (!event) throw new Error(`No such event: ${eventId}`);
      await deliverAndWait(dispatcher, event);
    },
    async duplicateAsNewEvent(eventId) {
      if (!events.get(eventId)) throw new Error(`No such event: ${eventId}`);
      let copy: Stripe.Event | undefined;
      await new Promise<void>((resolve) => {
        copy = events.duplicate(eventId, resolve);
        if (dispatcher.isPaused()) resolve();
      });
      return copy!.id;
    },
    events() {
      return snapshot(events.all());
    },
    undelivered() {
      return dispatcher.undelivered();
    },
    async completeCheckout(sessionId, card) {
      const record = store.checkoutSessions.get(sessionId);
      if (!record) throw new Error(`No such checkout.session: '${sessionId}'`);
      const redirect = completeCheckout(ctx, record, { card: card ?? '4242424242424242', fallbackEmail: 'customer@example.com' });
      changed();
      return { redirectUrl: redirect ?? `${baseUrl}/checkout/${sessionId}` };
    },
    async sendForeignTraffic(traffic) {
      sendForeignTraffic(ctx, traffic);
      changed();
    },
    updatePaymentMethod(subscriptionId, card = DEFAULT_TEST_CARD) {
      const record = store.subscriptions.get(subscriptionId);
      const testCard = findTestCard(card);
      if (!record) throw new Error(`No such subscription: '${subscriptionId}'`);
      if (!testCard) throw new Error(`${card} is not one of the emulator's test cards`);
      record.card = storedCard(testCard, clock.nowMs());
      changed();
    },
  });

  // A new delivery URL gets its endpoint in the store too.
  const moveDispatcher = emulator.setWebhookUrl.bind(emulator);
  emulator.setWebhookUrl = (url) => {
    target!.moveTo(url);
    moveDispatcher(url);
    changed();
  };

  const app = createEmulatorApp(ctx, emulator, { afterChange: changed });
  const server = await listen(app, options.port ?? 0);
  baseUrl = `http://127.0.0.1:${portOf(server)}`;
  if (loaded && loaded.baseUrl !== baseUrl) moveHostedPages(store, loaded.baseUrl, baseUrl);
  // What the earlier run had not delivered goes out now, in its order, to this run's URL (as Stripe keeps retrying).
  for (const id of loaded?.pendingDeliveries ?? []) send(events.get(id)!);
  changed(); // the file then exists from the start, with the seeded catalog and the new URL
  return emulator;
}

