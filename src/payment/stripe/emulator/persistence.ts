import { readFileSync } from 'node:fs';
import type Stripe from 'stripe';
import { findTestCard } from './cards.js';
import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import type { EventLog } from './events.js';
import type { CheckoutSessionRecord, IdempotentResponse, InvoiceRecord, Store, SubscriptionRecord, WebhookEndpointRecord } from './store.js';

/**
 * The emulator's state file (`stateFile` option): everything in the store (webhook endpoints and their
 * secrets included), the events, the saved idempotent responses, the clock offset and which events'
 * webhooks are not delivered yet, as one JSON document. Delivery records are not kept. A file this code
 * cannot read is refused with `StateFileError`, never discarded.
 */

export const STATE_FORMAT = 'stripe-emulator-state';
/** Raise it whenever the layout or the meaning of a saved field changes: older files are then refused. */
export const STATE_VERSION = 1;

export interface EmulatorState {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  savedAt: string;
  /** The emulator's `url` when saved: hosted-page URLs of open sessions are moved to the new one. */
  baseUrl: string;
  clock: { offsetMs: number; nowMs: number };
  products: Stripe.Product[];
  prices: Stripe.Price[];
  customers: Stripe.Customer[];
  checkoutSessions: CheckoutSessionRecord[];
  portalSessions: Stripe.BillingPortal.Session[];
  subscriptions: SubscriptionRecord[];
  invoices: InvoiceRecord[];
  paymentIntents: Stripe.PaymentIntent[];
  charges: Stripe.Charge[];
  refunds: Stripe.Refund[];
  /** Absent in files saved before the webhook endpoints API: the emulator then adds its own endpoint at start. */
  webhookEndpoints?: WebhookEndpointRecord[];
  events: Stripe.Event[];
  idempotencyKeys: [string, IdempotentResponse][];
  /**
   * The ids of the events whose webhook was not delivered yet (queued, in flight, waiting for a retry,
   * paused), in order: the next start delivers them. Absent in files saved before it was kept: none.
   */
  pendingDeliveries?: string[];
}

/** The state file cannot be read or used; the message names the file and what is wrong with it. */
export class StateFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `Stripe emulator state file ${file}: ${problem}. It holds billing state (customers, subscriptions, payments), so ` +
        'it is not discarded: fix it, or move it away to start from an empty emulator.',
    );
    this.name = 'StateFileError';
  }
}

export function serializeState(store: Store, events: EventLog, clock: EmulatorClock, baseUrl: string, pendingDeliveries: string[]): string {
  const state: EmulatorState = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: new Date().toISOString(),
    baseUrl,
    clock: { offsetMs: clock.offset, nowMs: clock.nowMs() },
    products: [...store.products.values()],
    prices: [...store.prices.values()],
    customers: [...store.customers.values()],
    checkoutSessions: [...store.checkoutSessions.values()],
    portalSessions: [...store.portalSessions.values()],
    subscriptions: [...store.subscriptions.values()],
    invoices: [...store.invoices.values()],
    paymentIntents: [...store.paymentIntents.values()],
    charges: [...store.charges.values()],
    refunds: [...store.refunds.values()],
    webhookEndpoints: [...store.webhookEndpoints.values()],
    events: events.all(),
    idempotencyKeys: [...store.idempotencyKeys.entries()],
    pendingDeliveries,
  };
  return JSON.stringify(state);
}

// ---- reading -------------------------------------------------------------------------------------------

class Problem extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, at: string): Json {
  if (!isObject(value)) throw new Problem(`${at} must be an object`);
  return value;
}

function arrayAt(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) throw new Problem(`${at} must be an array`);
  return value;
}

function numberAt(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Problem(`${at} must be a number`);
  return value;
}

function stringAt(value: unknown, at: string): string {
  if (typeof value !== 'string') throw new Problem(`${at} must be a string`);
  return value;
}

/** A Stripe object: `object` is `type` and `id` a non-empty string starting with `prefix`. Returns its id. */
function stripeObject(value: unknown, at: string, type: string, prefix: string): string {
  const object = objectAt(value, at);
  if (object.object !== type) throw new Problem(`${at}.object must be "${type}" (found ${JSON.stringify(object.object)})`);
  if (typeof object.id !== 'string' || object.id.length <= prefix.length || !object.id.startsWith(prefix)) {
    throw new Problem(`${at}.id must be a string starting with "${prefix}" (found ${JSON.stringify(object.id)})`);
  }
  return object.id;
}

/** Fills `map` from the saved array, checking each entry with `check` (which returns its id). */
function restoreCollection<T>(state: Json, key: string, map: Map<string, T>, check: (value: unknown, at: string) => string): void {
  const list = arrayAt(state[key], key);
  list.forEach((value, index) => {
    const at = `${key}[${index}]`;
    const id = check(value, at);
    if (map.has(id)) throw new Problem(`${at}: the id ${id} appears twice`);
    map.set(id, value as T);
  });
}

function plain(type: string, prefix: string) {
  return (value: unknown, at: string) => stripeObject(value, at, type, prefix);
}

function checkSubscription(value: unknown, at: string): string {
  const id = stripeObject(value, at, 'subscription', 'sub_');
  const items = objectAt((value as Json).items, `${at}.items`);
  const data = arrayAt(items.data, `${at}.items.data`);
  if (data.length === 0) throw new Problem(`${at}.items.data must not be empty`);
  data.forEach((item, i) => {
    stripeObject(item, `${at}.items.data[${i}]`, 'subscription_item', 'si_');
    stripeObject((item as Json).price, `${at}.items.data[${i}].price`, 'price', '');
  });
  return id;
}

function checkSubscriptionRecord(value: unknown, at: string): string {
  const record = objectAt(value, at);
  const id = checkSubscription(record.subscription, `${at}.subscription`);
  const stored = objectAt(record.card, `${at}.card`);
  stringAt(stored.paymentMethodId, `${at}.card.paymentMethodId`);
  numberAt(stored.expMonth, `${at}.card.expMonth`);
  numberAt(stored.expYear, `${at}.card.expYear`);
  const number = stringAt(objectAt(stored.card, `${at}.card.card`).number, `${at}.card.card.number`);
  const card = findTestCard(number);
  if (!card) throw new Problem(`${at}.card.card.number is not a test card this emulator knows`);
  stored.card = card; // the emulator's own description of that card (its behaviour on renewals)
  if (typeof record.trialWillEndSent !== 'boolean') throw new Problem(`${at}.trialWillEndSent must be a boolean`);
  arrayAt(record.pendingProrations, `${at}.pendingProrations`);
  return id;
}

function checkCheckoutSessionRecord(value: unknown, at: string): string {
  const record = objectAt(value, at);
  const id = stripeObject(record.session, `${at}.session`, 'checkout.session', 'cs_');
  stripeObject(record.price, `${at}.price`, 'price', '');
  numberAt(record.quantity, `${at}.quantity`);
  arrayAt(record.lineItems, `${at}.lineItems`);
  objectAt(record.subscriptionData, `${at}.subscriptionData`);
  objectAt(record.paymentIntentData, `${at}.paymentIntentData`);
  objectAt(record.invoiceData, `${at}.invoiceData`);
  return id;
}

function checkInvoiceRecord(value: unknown, at: string): string {
  const record = objectAt(value, at);
  const id = stripeObject(record.invoice, `${at}.invoice`, 'invoice', 'in_');
  if (record.paymentIntentId !== null) stringAt(record.paymentIntentId, `${at}.paymentIntentId`);
  arrayAt(record.payments, `${at}.payments`).forEach((payment, i) => stripeObject(payment, `${at}.payments[${i}]`, 'invoice_payment', 'inpay_'));
  return id;
}

function checkWebhookEndpointRecord(value: unknown, at: string): string {
  const record = objectAt(value, at);
  const id = stripeObject(record.endpoint, `${at}.endpoint`, 'webhook_endpoint', 'we_');
  stringAt(record.secret, `${at}.secret`);
  arrayAt((record.endpoint as Json).enabled_events, `${at}.endpoint.enabled_events`);
  return id;
}

function checkEvent(value: unknown, at: string): string {
  const id = stripeObject(value, at, 'event', 'evt_');
  const event = value as Json;
  stringAt(event.type, `${at}.type`);
  objectAt(objectAt(event.data, `${at}.data`).object, `${at}.data.object`);
  return id;
}

function checkIdempotentResponse(value: unknown, at: string): string {
  const pair = arrayAt(value, at);
  if (pair.length !== 2) throw new Problem(`${at} must be a [key, response] pair`);
  const key = stringAt(pair[0], `${at}[0]`);
  const response = objectAt(pair[1], `${at}[1]`);
  stringAt(response.fingerprint, `${at}[1].fingerprint`);
  numberAt(response.status, `${at}[1].status`);
  return key;
}

export interface LoadedState {
  baseUrl: string;
  /** Events (restored into the log) whose webhook the earlier run had not delivered, in order. */
  pendingDeliveries: string[];
}

/**
 * Reads the state file into the (empty) store, event log and clock. `null` when there is no file yet;
 * `StateFileError` when it cannot be read or is not a state file of this version.
 */
export function loadState(file: string, store: Store, events: EventLog, clock: EmulatorClock): LoadedState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(file, `cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(file, `is not valid JSON (${error instanceof Error ? error.message : String(error)}); it may be truncated or edited by hand`);
  }
  if (!isObject(parsed) || parsed.format !== STATE_FORMAT) {
    throw new StateFileError(file, `is not a Stripe emulator state file (no "format": "${STATE_FORMAT}")`);
  }
  if (parsed.version !== STATE_VERSION) {
    throw new StateFileError(
      file,
      `has version ${JSON.stringify(parsed.version)}, and this emulator reads version ${STATE_VERSION} only (it was written by ${
        typeof parsed.version === 'number' && parsed.version > STATE_VERSION ? 'a newer' : 'another'
      } emulator)`,
    );
  }
  try {
    const savedClock = objectAt(parsed.clock, 'clock');
    const offsetMs = numberAt(savedClock.offsetMs, 'clock.offsetMs');
    const nowMs = numberAt(savedClock.nowMs, 'clock.nowMs');
    const baseUrl = stringAt(parsed.baseUrl, 'baseUrl');
    restoreCollection(parsed, 'products', store.products, plain('product', 'prod_'));
    restoreCollection(parsed, 'prices', store.prices, plain('price', ''));
    restoreCollection(parsed, 'customers', store.customers, plain('customer', 'cus_'));
    restoreCollection(parsed, 'checkoutSessions', store.checkoutSessions, checkCheckoutSessionRecord);
    restoreCollection(parsed, 'portalSessions', store.portalSessions, plain('billing_portal.session', 'bps_'));
    restoreCollection(parsed, 'subscriptions', store.subscriptions, checkSubscriptionRecord);
    restoreCollection(parsed, 'invoices', store.invoices, checkInvoiceRecord);
    restoreCollection(parsed, 'paymentIntents', store.paymentIntents, plain('payment_intent', 'pi_'));
    restoreCollection(parsed, 'charges', store.charges, plain('charge', 'ch_'));
    restoreCollection(parsed, 'refunds', store.refunds, plain('refund', 're_'));
    if (parsed.webhookEndpoints !== undefined) restoreCollection(parsed, 'webhookEndpoints', store.webhookEndpoints, checkWebhookEndpointRecord);
    restoreCollection(parsed, 'idempotencyKeys', new Map<string, unknown>(), checkIdempotentResponse);
    const savedEvents = new Map<string, Stripe.Event>();
    restoreCollection(parsed, 'events', savedEvents, checkEvent);
    for (const [key, response] of parsed.idempotencyKeys as [string, IdempotentResponse][]) store.idempotencyKeys.set(key, response);
    const pendingDeliveries = parsed.pendingDeliveries === undefined ? [] : arrayAt(parsed.pendingDeliveries, 'pendingDeliveries');
    pendingDeliveries.forEach((id, i) => {
      if (!savedEvents.has(stringAt(id, `pendingDeliveries[${i}]`))) throw new Problem(`pendingDeliveries[${i}]: the event ${id} is not in the file`);
    });
    events.restore([...savedEvents.values()]);
    clock.restore(offsetMs, nowMs);
    return { baseUrl, pendingDeliveries: pendingDeliveries as string[] };
  } catch (error) {
    if (error instanceof Problem) throw new StateFileError(file, error.message);
    throw error;
  }
}
