import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { findTestCard } from './cards.js';
import type { EmulatorContext } from './context.js';
import type { SavedWebhook } from './events.js';
import { isoTimeSchema } from './routes/schemas.js';
import { ID_KINDS, Store, type IdKind, type StoreRecord } from './store.js';

/**
 * The emulator's state file (`stateFile` option): the store, its variants, customers, checkouts, orders,
 * subscriptions, invoices and webhooks (`/v1/webhooks`, their secrets included), the id counters, the emitted webhooks, the clock offset and the keys that
 * make links and webhooks look the same after a restart, and which webhooks are not delivered yet, as one
 * JSON document. Delivery records are not kept. A file this code cannot use is refused with
 * `StateFileError`, never discarded. Saving is `StateWriter`'s (src/emulators/stateFile.ts).
 */

export const STATE_FORMAT = 'lemonsqueezy-emulator-state';
/** Raise it whenever the layout or the meaning of a saved field changes: older files are then refused. */
export const STATE_VERSION = 1;

/** The state file cannot be read or used; the message names the file and what is wrong with it. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';

  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(
      `Lemon Squeezy emulator state file ${file}: ${problem}. It holds billing state (customers, orders, subscriptions, ` +
        'invoices), so it is not discarded: fix it, or move it away to start from an empty emulator.',
    );
  }
}

/** The records kept by id, each in its map of the store and its list in the file, in creation order. */
const COLLECTIONS = ['variants', 'customers', 'checkouts', 'orders', 'subscriptions', 'invoices', 'endpoints'] as const;

export function serializeState(ctx: EmulatorContext, pendingDeliveries: string[]): string {
  const { store, clock, events } = ctx;
  const state: SavedState = {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    savedAt: new Date().toISOString(),
    baseUrl: ctx.baseUrl(),
    clock: { offsetMs: clock.offset, nowMs: clock.nowMs() },
    portalKey: ctx.portalKey.toString('hex'),
    webhookId: events.webhookId,
    store: store.store,
    counters: store.counterState(),
    ...(Object.fromEntries(COLLECTIONS.map((key) => [key, [...store[key].values()]])) as Pick<SavedState, Collection>),
    webhooks: events.saved(),
    pendingDeliveries,
  };
  return JSON.stringify(state);
}

// ---- the layout ----------------------------------------------------------------------------------------
// Records are checked as far as the emulator's logic relies on them; the other attributes are kept as saved.

const positiveId = z.number().int().positive();
const amount = z.number().int().nonnegative();
const unixSeconds = z.number().int();
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a 3-letter currency code in capitals');
const interval = z.enum(['month', 'year']);
const customData = z.union([z.record(z.string(), z.unknown()), z.array(z.unknown())]).optional();

/** A saved card is the emulator's own test card again (with its behaviour on renewals). */
const testCard = z.looseObject({ number: z.string() }).transform((saved, ctx) => {
  const card = findTestCard(saved.number);
  if (!card) ctx.addIssue({ code: 'custom', message: `${saved.number} is not one of the emulator's test cards`, input: saved });
  return card ?? z.NEVER;
});

const storeSchema = z.strictObject({ id: positiveId, name: z.string(), slug: z.string(), currency, createdAt: unixSeconds });

const variantSchema = z.strictObject({
  id: positiveId,
  productId: positiveId,
  priceId: positiveId,
  productName: z.string().min(1),
  price: amount,
  currency,
  interval: interval.nullable(),
  // Absent in files saved before trials: no trial.
  trialDays: z.number().int().nonnegative().default(0),
  createdAt: unixSeconds,
});

const customerSchema = z.strictObject({
  id: positiveId,
  card: testCard,
  attributes: z.looseObject({ store_id: positiveId, email: z.string() }),
});

const checkoutSchema = z.strictObject({
  id: z.string().min(1),
  variantId: positiveId,
  expiresAt: unixSeconds.nullable(),
  customData,
  attributes: z.looseObject({
    url: z.string(),
    checkout_data: z.looseObject({}),
    product_options: z.looseObject({}),
  }),
});

const orderSchema = z.strictObject({
  id: positiveId,
  checkoutId: z.string(),
  customData,
  attributes: z.looseObject({
    customer_id: positiveId,
    order_number: positiveId,
    status: z.string(),
    total: amount,
    refunded_amount: amount,
    first_order_item: z.looseObject({ id: positiveId }),
    urls: z.looseObject({ receipt: z.string() }),
  }),
});

const subscriptionSchema = z.strictObject({
  id: positiveId,
  customData,
  card: testCard,
  interval,
  anchorDay: z.number().int().min(1).max(31),
  periodEnd: unixSeconds,
  openInvoiceId: positiveId.nullable(),
  failedAttempts: amount,
  attributes: z.looseObject({
    customer_id: positiveId,
    variant_id: positiveId,
    status: z.enum(['on_trial', 'active', 'paused', 'past_due', 'unpaid', 'cancelled', 'expired']),
    renews_at: isoTimeSchema,
    ends_at: isoTimeSchema.nullable(),
    pause: z.looseObject({ mode: z.enum(['void', 'free']), resumes_at: isoTimeSchema.nullable() }).nullable(),
    // null while on trial, as Lemon Squeezy shows it.
    first_subscription_item: z.looseObject({ id: positiveId }).nullable(),
  }),
});

const invoiceSchema = z.strictObject({
  id: positiveId,
  customData,
  attributes: z.looseObject({
    subscription_id: positiveId,
    customer_id: positiveId,
    status: z.enum(['pending', 'paid', 'void', 'refunded', 'partial_refund']),
    total: amount,
    refunded_amount: amount,
    urls: z.looseObject({ invoice_url: z.string().nullable() }),
  }),
});

const endpointSchema = z.strictObject({
  id: positiveId,
  url: z.string().min(1),
  events: z.array(z.string()),
  secret: z.string().min(1),
  testMode: z.boolean(),
  lastSentAt: unixSeconds.nullable(),
  createdAt: unixSeconds,
  updatedAt: unixSeconds,
});

/** `raw` is the body every delivery sends: JSON whose `meta.event_name` is `eventName`. */
const webhookSchema = z
  .strictObject({ id: z.string().regex(/^dlv_[1-9]\d*$/, 'must be dlv_<n>'), eventName: z.string(), raw: z.string() })
  .superRefine((webhook, ctx) => {
    let body: unknown;
    try {
      body = JSON.parse(webhook.raw);
    } catch {
      body = undefined;
    }
    const meta = (body as { meta?: { event_name?: unknown } } | undefined)?.meta;
    if (meta?.event_name !== webhook.eventName) {
      ctx.addIssue({ code: 'custom', path: ['raw'], message: `must be a webhook body whose meta.event_name is "${webhook.eventName}"` });
    }
  });

const countersSchema = z.strictObject({
  next: z.strictObject(Object.fromEntries(ID_KINDS.map((kind) => [kind, positiveId])) as Record<IdKind, typeof positiveId>),
  orderNumber: amount,
});

const stateSchema = z
  .strictObject({
    format: z.literal(STATE_FORMAT),
    version: z.literal(STATE_VERSION),
    savedAt: z.string(),
    baseUrl: z.string(),
    clock: z.strictObject({ offsetMs: z.number(), nowMs: z.number() }),
    portalKey: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 hex digits'),
    webhookId: z.string().min(1),
    store: storeSchema,
    counters: countersSchema,
    variants: z.array(variantSchema),
    customers: z.array(customerSchema),
    checkouts: z.array(checkoutSchema),
    orders: z.array(orderSchema),
    subscriptions: z.array(subscriptionSchema),
    invoices: z.array(invoiceSchema),
    // Absent in files saved before the webhooks API: the emulator then adds its own webhook at start.
    endpoints: z.array(endpointSchema).default([]),
    webhooks: z.array(webhookSchema),
    // The ids of the webhooks not delivered yet (queued, in flight, waiting for a retry, paused), in order:
    // the next start delivers them. Absent in files saved before it was kept: none.
    pendingDeliveries: z.array(z.string()).default([]),
  })
  .superRefine((state, ctx) => {
    const problem = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });

    // No id twice: a second record would silently replace the first.
    const ids = {} as Record<Collection | 'webhooks', Set<number | string>>;
    for (const key of [...COLLECTIONS, 'webhooks'] as const) {
      ids[key] = new Set();
      state[key].forEach(({ id }, i) => {
        if (ids[key].has(id)) problem([key, i, 'id'], `the id ${id} appears twice`);
        ids[key].add(id);
      });
    }
    const { variants, customers, subscriptions, invoices } = ids;

    // What records point at is there.
    const refers = (found: Set<number | string>, id: number | null, path: PropertyKey[], what: string) => {
      if (id !== null && !found.has(id)) problem(path, `${what} ${id} is not in the file`);
    };
    state.checkouts.forEach((c, i) => refers(variants, c.variantId, ['checkouts', i, 'variantId'], 'variant'));
    state.orders.forEach((o, i) => refers(customers, o.attributes.customer_id, ['orders', i, 'attributes', 'customer_id'], 'customer'));
    state.subscriptions.forEach((s, i) => {
      refers(customers, s.attributes.customer_id, ['subscriptions', i, 'attributes', 'customer_id'], 'customer');
      refers(variants, s.attributes.variant_id, ['subscriptions', i, 'attributes', 'variant_id'], 'variant');
      refers(invoices, s.openInvoiceId, ['subscriptions', i, 'openInvoiceId'], 'invoice');
    });
    state.invoices.forEach((v, i) => refers(subscriptions, v.attributes.subscription_id, ['invoices', i, 'attributes', 'subscription_id'], 'subscription'));
    state.pendingDeliveries.forEach((id, i) => {
      if (!ids.webhooks.has(id)) problem(['pendingDeliveries', i], `webhook ${id} is not in the file`);
    });

    // The counters are past every saved id, so new objects never take one.
    const used: Record<IdKind, number[]> = {
      product: state.variants.map((v) => v.productId),
      price: state.variants.map((v) => v.priceId),
      customer: state.customers.map((c) => c.id),
      order: state.orders.map((o) => o.id),
      orderItem: state.orders.map((o) => o.attributes.first_order_item.id),
      subscription: state.subscriptions.map((s) => s.id),
      subscriptionItem: state.subscriptions.flatMap((s) => (s.attributes.first_subscription_item ? [s.attributes.first_subscription_item.id] : [])),
      invoice: state.invoices.map((v) => v.id),
    };
    for (const kind of ID_KINDS) {
      const highest = Math.max(0, ...used[kind]);
      if (state.counters.next[kind] <= highest) problem(['counters', 'next', kind], `must be above ${highest}, the highest saved ${kind} id`);
    }
    const lastOrderNumber = Math.max(0, ...state.orders.map((o) => o.attributes.order_number));
    if (state.counters.orderNumber < lastOrderNumber) problem(['counters', 'orderNumber'], `must be at least ${lastOrderNumber}, the highest saved order_number`);
  });

type Collection = (typeof COLLECTIONS)[number];

/** The file as `stateSchema` reads it, its records typed as the store holds them. */
export type SavedState = Omit<z.output<typeof stateSchema>, Collection | 'store' | 'webhooks'> & {
  [K in Collection]: Store[K] extends Map<unknown, infer R> ? R[] : never;
} & { store: StoreRecord; webhooks: SavedWebhook[] };

// ---- reading -------------------------------------------------------------------------------------------

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `subscriptions[0].attributes.status` */
function pathOf(path: readonly PropertyKey[]): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`)).join('') || 'the document';
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((issue) => `${pathOf(issue.path)}: ${issue.message}`);
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more problem(s)`);
  return shown.join('; ');
}

/** The file's text; `null` when there is no file yet. */
function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(file, `cannot be read (${reasonOf(error)})`);
  }
}

function versionProblem(version: unknown): string {
  const writer = typeof version === 'number' && version > STATE_VERSION ? 'a newer' : 'another';
  return `has version ${JSON.stringify(version)}, and this emulator reads version ${STATE_VERSION} only (it was written by ${writer} emulator)`;
}

/** Parses and checks the whole file: its format and version first, so that a foreign or older file says so. */
function parseState(file: string, text: string): SavedState {
  const fail = (problem: string) => new StateFileError(file, problem);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw fail(`is not valid JSON (${reasonOf(error)}); it may be truncated or edited by hand`);
  }
  const { format, version } = (document ?? {}) as { format?: unknown; version?: unknown };
  if (format !== STATE_FORMAT) throw fail(`is not a Lemon Squeezy emulator state file (no "format": "${STATE_FORMAT}")`);
  if (version !== STATE_VERSION) throw fail(versionProblem(version));
  const result = stateSchema.safeParse(document);
  if (!result.success) throw fail(describeIssues(result.error.issues));
  // The schema covers what the emulator relies on; the rest of each record is as this code saved it.
  return result.data as unknown as SavedState;
}

/**
 * Reads the state file of an emulator of store `storeId`: `null` when there is none yet, `StateFileError`
 * when it cannot be used (unreadable, not JSON, not a state file, another version, records that do not
 * fit, or another store's).
 */
export function loadState(file: string, storeId: number): SavedState | null {
  const text = readText(file);
  if (text === null) return null;
  const state = parseState(file, text);
  if (state.store.id !== storeId) {
    throw new StateFileError(file, `belongs to store ${state.store.id}, and this emulator is started for store ${storeId}`);
  }
  return state;
}

/** A store holding the saved records, its id counters where they stopped. */
export function restoreStore(state: SavedState): Store {
  const store = new Store(state.store);
  for (const key of COLLECTIONS) {
    const map = store[key] as Map<number | string, unknown>;
    for (const record of state[key]) map.set(record.id, record);
  }
  store.restoreCounters(state.counters);
  return store;
}

/** An earlier run listened on another port: move the emulator URLs kept in objects (checkout, receipt, invoice) to this one. */
export function moveSavedUrls(store: Store, from: string, to: string): void {
  if (from === to) return;
  const move = (url: string) => (url.startsWith(`${from}/`) ? to + url.slice(from.length) : url);
  for (const { attributes } of store.checkouts.values()) attributes.url = move(attributes.url);
  for (const { attributes } of store.orders.values()) attributes.urls.receipt = move(attributes.urls.receipt);
  for (const { attributes } of store.invoices.values()) {
    if (attributes.urls.invoice_url) attributes.urls.invoice_url = move(attributes.urls.invoice_url);
  }
}
