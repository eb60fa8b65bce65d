import { goodCard } from './cards.js';
import { addInterval, isoTime, SECONDS_PER_DAY } from './clock.js';
import type { EmulatorContext } from './context.js';
import { invoiceView, newInvoice, setInvoiceStatus } from './objects/invoice.js';
import { orderView } from './objects/order.js';
import { firstItem, setCard, setStatus, subscriptionView, touch } from './objects/subscription.js';
import type { CustomerRecord, InvoiceRecord, OrderRecord, SubscriptionRecord, VariantRecord } from './store.js';
import type { LsEventName, LsSubscriptionAttributes } from './types.js';

/** A failed renewal is retried this often... */
export const RETRY_INTERVAL_SECONDS = 3 * SECONDS_PER_DAY;
/** ...this many times; when the last retry fails too, the subscription expires. */
export const MAX_RETRIES = 4;

/** A change the subscription's state does not allow; nothing was changed. */
export class SubscriptionChangeError extends Error {
  constructor(
    message: string,
    /** The JSON:API member the problem is about, e.g. `/data/attributes/pause`. */
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'SubscriptionChangeError';
  }
}

type SubscriptionEvent = Extract<
  LsEventName,
  'subscription_created' | 'subscription_updated' | 'subscription_cancelled' | 'subscription_resumed' | 'subscription_expired' | 'subscription_paused' | 'subscription_unpaused'
>;
type InvoiceEvent = Extract<LsEventName, `subscription_payment_${string}`>;

export function emitSubscription(ctx: EmulatorContext, eventName: SubscriptionEvent, sub: SubscriptionRecord): void {
  ctx.events.emit(eventName, subscriptionView(ctx, sub), sub.customData);
}

export function emitInvoice(ctx: EmulatorContext, eventName: InvoiceEvent, invoice: InvoiceRecord): void {
  ctx.events.emit(eventName, invoiceView(ctx, invoice), invoice.customData);
}

export function emitOrder(ctx: EmulatorContext, eventName: 'order_created' | 'order_refunded', order: OrderRecord): void {
  ctx.events.emit(eventName, orderView(ctx, order), order.customData);
}

function variantOf(ctx: EmulatorContext, sub: SubscriptionRecord): VariantRecord {
  const variant = ctx.store.variants.get(sub.attributes.variant_id);
  if (!variant) throw new Error(`Subscription ${sub.id} has an unknown variant ${sub.attributes.variant_id}`);
  return variant;
}

function setRenewsAt(sub: SubscriptionRecord, sec: number): void {
  sub.attributes.renews_at = isoTime(sec);
}

// ---------------------------------------------------------------------------------------------------
// Changes asked for through the API (PATCH / DELETE) or the portal
// ---------------------------------------------------------------------------------------------------

export interface SubscriptionChange {
  variant?: VariantRecord;
  cancelled?: boolean;
  /** `null` unpauses. */
  pause?: { mode: 'void' | 'free'; resumesAt: number | null } | null;
}

/**
 * Applies a change as LS does: the variant, then cancel/resume, then pause/unpause. Everything is checked
 * before anything changes. Emits the specific events (`subscription_cancelled`, `_resumed`, `_paused`,
 * `_unpaused`) and then one `subscription_updated`, all showing the subscription after the change; nothing
 * when nothing changed. Cancelling a past_due subscription ends it at once (see `cancelNow`).
 */
export function changeSubscription(ctx: EmulatorContext, sub: SubscriptionRecord, change: SubscriptionChange): void {
  const attrs = sub.attributes;
  if (attrs.status === 'expired') throw new SubscriptionChangeError('This subscription has expired and can no longer be changed.', '/data/id');

  // Work out the outcome first.
  let status: LsSubscriptionAttributes['status'] = attrs.status;
  let cancel = false;
  let resume = false;
  let pause: NonNullable<SubscriptionChange['pause']> | undefined;
  let unpause = false;
  const variantChanged = change.variant !== undefined && change.variant.id !== attrs.variant_id;
  if (change.variant && !change.variant.interval) {
    throw new SubscriptionChangeError(`Variant ${change.variant.id} is not a subscription variant.`, '/data/attributes/variant_id');
  }
  if (change.cancelled === true && status !== 'cancelled') {
    cancel = true;
    status = 'cancelled';
  } else if (change.cancelled === false && status === 'cancelled') {
    resume = true;
    status = 'active';
  }
  if (change.pause) {
    if (status === 'cancelled') throw new SubscriptionChangeError('A cancelled subscription cannot be paused; resume it first.', '/data/attributes/pause');
    if (status === 'past_due') throw new SubscriptionChangeError('A past due subscription cannot be paused.', '/data/attributes/pause');
    pause = change.pause;
  } else if (change.pause === null && status === 'paused') {
    unpause = true;
  }
  const pauseChanged = pause !== undefined && JSON.stringify(attrs.pause) !== JSON.stringify(pauseObject(pause));
  if (!variantChanged && !cancel && !resume && !pauseChanged && !unpause) return;

  const wasPaused = attrs.status === 'paused';
  const wasPastDue = attrs.status === 'past_due';
  const now = ctx.clock.nowSec();
  const events: SubscriptionEvent[] = [];
  if (variantChanged && change.variant) {
    const variant = change.variant as VariantRecord & { interval: 'month' | 'year' };
    attrs.variant_id = variant.id;
    attrs.product_id = variant.productId;
    attrs.product_name = variant.productName;
    if (attrs.first_subscription_item) {
      attrs.first_subscription_item.price_id = variant.priceId;
      attrs.first_subscription_item.updated_at = isoTime(now);
    }
    // The new price (and interval) applies from the next renewal; no proration.
    sub.interval = variant.interval;
  }
  if (cancel) {
    attrs.cancelled = true;
    attrs.pause = null;
    if (wasPastDue) voidOpenInvoice(ctx, sub);
    attrs.ends_at = isoTime(Math.max(sub.periodEnd, now));
    setStatus(ctx, sub, 'cancelled');
    events.push('subscription_cancelled');
  }
  if (resume) {
    attrs.cancelled = false;
    attrs.ends_at = null;
    setStatus(ctx, sub, attrs.trial_ends_at === null ? 'active' : 'on_trial');
    events.push('subscription_resumed');
  }
  if (pause) {
    attrs.pause = pauseObject(pause);
    setStatus(ctx, sub, 'paused');
    if (!wasPaused) events.push('subscription_paused');
  }
  if (unpause) {
    attrs.pause = null;
    setStatus(ctx, sub, 'active');
    events.push('subscription_unpaused');
  }
  touch(ctx, sub);
  for (const eventName of events) emitSubscription(ctx, eventName, sub);
  emitSubscription(ctx, 'subscription_updated', sub);
}

function pauseObject(pause: { mode: 'void' | 'free'; resumesAt: number | null }): NonNullable<LsSubscriptionAttributes['pause']> {
  return { mode: pause.mode, resumes_at: pause.resumesAt === null ? null : isoTime(pause.resumesAt) };
}

function voidOpenInvoice(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  const invoice = sub.openInvoiceId === null ? undefined : ctx.store.invoices.get(sub.openInvoiceId);
  if (invoice) setInvoiceStatus(ctx, invoice, 'void');
  sub.openInvoiceId = null;
  sub.failedAttempts = 0;
}

/** The portal's "Update payment method": every live subscription of the customer now charges a good card. */
export function updatePaymentMethod(ctx: EmulatorContext, customer: CustomerRecord): void {
  const card = goodCard();
  customer.card = card;
  for (const sub of ctx.store.subscriptionsOf(customer.id)) {
    if (sub.attributes.status === 'expired' || sub.card.number === card.number) continue;
    setCard(ctx, sub, card);
    emitSubscription(ctx, 'subscription_updated', sub);
  }
}

// ---------------------------------------------------------------------------------------------------
// What the clock brings (run by billing.ts at each action's time)
// ---------------------------------------------------------------------------------------------------

/** Charges a renewal invoice: `true` when the card took it. */
function charge(ctx: EmulatorContext, sub: SubscriptionRecord, invoice: InvoiceRecord): boolean {
  invoice.attributes.card_brand = sub.card.brand;
  invoice.attributes.card_last_four = sub.attributes.card_last_four;
  if (sub.card.behavior !== 'succeed') {
    invoice.attributes.updated_at = isoTime(ctx.clock.nowSec());
    return false;
  }
  setInvoiceStatus(ctx, invoice, 'paid');
  return true;
}

/** The period (or the free trial) ended for an active subscription: a renewal invoice, paid or failed. */
export function renew(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  const variant = variantOf(ctx, sub);
  const invoice = newInvoice(ctx, sub, variant, 'renewal');
  ctx.store.invoices.set(invoice.id, invoice);
  sub.attributes.trial_ends_at = null;
  sub.attributes.first_subscription_item ??= firstItem(ctx, sub.id, variant.priceId);
  if (charge(ctx, sub, invoice)) {
    sub.periodEnd = addInterval(sub.periodEnd, sub.interval, sub.anchorDay);
    setRenewsAt(sub, sub.periodEnd);
    if (sub.attributes.status === 'on_trial') setStatus(ctx, sub, 'active');
    touch(ctx, sub);
    emitInvoice(ctx, 'subscription_payment_success', invoice);
    emitSubscription(ctx, 'subscription_updated', sub);
    return;
  }
  sub.openInvoiceId = invoice.id;
  sub.failedAttempts = 1;
  setRenewsAt(sub, ctx.clock.nowSec() + RETRY_INTERVAL_SECONDS);
  setStatus(ctx, sub, 'past_due');
  emitInvoice(ctx, 'subscription_payment_failed', invoice);
  emitSubscription(ctx, 'subscription_updated', sub);
}

/** A past_due subscription's retry: recovered, failed again, or (after the last retry) expired. */
export function retry(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  const invoice = sub.openInvoiceId === null ? undefined : ctx.store.invoices.get(sub.openInvoiceId);
  if (!invoice) {
    // Nothing to collect (should not happen): back to the normal cycle.
    sub.periodEnd = addInterval(sub.periodEnd, sub.interval, sub.anchorDay);
    setRenewsAt(sub, sub.periodEnd);
    setStatus(ctx, sub, 'active');
    emitSubscription(ctx, 'subscription_updated', sub);
    return;
  }
  const now = ctx.clock.nowSec();
  if (charge(ctx, sub, invoice)) {
    sub.openInvoiceId = null;
    sub.failedAttempts = 0;
    sub.periodEnd = addInterval(sub.periodEnd, sub.interval, sub.anchorDay);
    while (sub.periodEnd <= now) sub.periodEnd = addInterval(sub.periodEnd, sub.interval, sub.anchorDay);
    setRenewsAt(sub, sub.periodEnd);
    setStatus(ctx, sub, 'active');
    emitInvoice(ctx, 'subscription_payment_success', invoice);
    emitInvoice(ctx, 'subscription_payment_recovered', invoice);
    emitSubscription(ctx, 'subscription_updated', sub);
    return;
  }
  sub.failedAttempts += 1;
  if (sub.failedAttempts > MAX_RETRIES) {
    setInvoiceStatus(ctx, invoice, 'void');
    sub.openInvoiceId = null;
    emitInvoice(ctx, 'subscription_payment_failed', invoice);
    sub.attributes.ends_at = isoTime(now);
    setStatus(ctx, sub, 'expired');
    emitSubscription(ctx, 'subscription_expired', sub);
    emitSubscription(ctx, 'subscription_updated', sub);
    return;
  }
  setRenewsAt(sub, now + RETRY_INTERVAL_SECONDS);
  touch(ctx, sub);
  emitInvoice(ctx, 'subscription_payment_failed', invoice);
  emitSubscription(ctx, 'subscription_updated', sub);
}

/** A cancelled subscription's grace period is over. */
export function expire(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  setStatus(ctx, sub, 'expired');
  emitSubscription(ctx, 'subscription_expired', sub);
  emitSubscription(ctx, 'subscription_updated', sub);
}

/** A paused subscription reached its period end: nothing is charged, the next period begins. */
export function skipPausedPeriod(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  sub.periodEnd = addInterval(sub.periodEnd, sub.interval, sub.anchorDay);
  setRenewsAt(sub, sub.periodEnd);
  touch(ctx, sub);
  emitSubscription(ctx, 'subscription_updated', sub);
}

/** A pause's `resumes_at` came. */
export function autoUnpause(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  sub.attributes.pause = null;
  setStatus(ctx, sub, 'active');
  emitSubscription(ctx, 'subscription_unpaused', sub);
  emitSubscription(ctx, 'subscription_updated', sub);
}
