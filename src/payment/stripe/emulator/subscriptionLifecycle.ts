import type Stripe from 'stripe';
import type { EmulatorContext } from './context.js';
import { collectInvoice, finalizeInvoice, storeInvoice } from './invoicing.js';
import { planOf, unitAmountOf } from './objects/catalog.js';
import { lineDescription, newInvoice, type InvoiceLineSpec } from './objects/invoice.js';
import { firstItem } from './objects/subscription.js';
import { periodEnd } from './periods.js';
import { idOf, productName } from './refs.js';
import { previousAttributes, snapshot } from './snapshot.js';
import type { InvoiceRecord, SubscriptionRecord } from './store.js';

export type ProrationBehavior = 'create_prorations' | 'none' | 'always_invoice';

export function subscriptionLine(
  ctx: EmulatorContext,
  subscription: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  period: { start: number; end: number },
  options: { amount?: number; description?: string } = {},
): InvoiceLineSpec {
  const quantity = item.quantity ?? 1;
  return {
    amount: options.amount ?? unitAmountOf(item.price) * quantity,
    description: options.description ?? lineDescription(item.price, productName(ctx, item.price), quantity),
    price: item.price,
    quantity,
    period,
    proration: false,
    subscription: { id: subscription.id, itemId: item.id },
  };
}

export function createSubscriptionInvoice(
  ctx: EmulatorContext,
  record: SubscriptionRecord,
  reason: Stripe.Invoice.BillingReason,
  lines: InvoiceLineSpec[],
  period: { start: number; end: number },
): InvoiceRecord {
  const subscription = record.subscription;
  const invoice = newInvoice(
    {
      customer: ctx.store.customer(idOf(subscription.customer) ?? '', 'customer'),
      currency: subscription.currency,
      billingReason: reason,
      subscription: { id: subscription.id, metadata: { ...subscription.metadata } },
      lines,
      periodStart: period.start,
      periodEnd: period.end,
      metadata: {},
      description: null,
      automaticTax: subscription.automatic_tax.enabled,
    },
    ctx.clock.nowSec(),
  );
  subscription.latest_invoice = invoice.id;
  return storeInvoice(ctx, invoice);
}

/** `customer.subscription.updated` with `previous_attributes`, when anything changed since `before`. */
export function emitSubscriptionUpdated(ctx: EmulatorContext, record: SubscriptionRecord, before: Stripe.Subscription): void {
  const previous = previousAttributes(before, record.subscription);
  if (Object.keys(previous).length > 0) ctx.events.emit('customer.subscription.updated', record.subscription, previous);
}

/** invoice.created → invoice.finalized → the charge; a failure makes the subscription past_due. */
export function billNewInvoice(ctx: EmulatorContext, record: SubscriptionRecord, invoice: InvoiceRecord, attempt: 'first' | 'later'): 'paid' | 'failed' {
  ctx.events.emit('invoice.created', invoice.invoice);
  finalizeInvoice(ctx, invoice);
  const result = collectInvoice(ctx, invoice, record.card, attempt);
  if (result === 'failed') afterFailedPayment(ctx, record, invoice);
  return result;
}

function afterFailedPayment(ctx: EmulatorContext, record: SubscriptionRecord, invoice: InvoiceRecord): void {
  const subscription = record.subscription;
  if (subscription.status !== 'past_due') {
    const before = snapshot(subscription);
    subscription.status = 'past_due';
    emitSubscriptionUpdated(ctx, record, before);
  }
  if (invoice.invoice.next_payment_attempt === null) cancelSubscription(ctx, record, 'payment_failed');
}

/** Cancels now: status canceled, `customer.subscription.deleted`. */
export function cancelSubscription(ctx: EmulatorContext, record: SubscriptionRecord, reason: Stripe.Subscription.CancellationDetails.Reason): void {
  const subscription = record.subscription;
  const now = ctx.clock.nowSec();
  subscription.status = 'canceled';
  subscription.ended_at = now;
  if (!subscription.cancel_at_period_end || subscription.canceled_at === null) subscription.canceled_at = now;
  subscription.cancellation_details = {
    comment: subscription.cancellation_details?.comment ?? null,
    feedback: subscription.cancellation_details?.feedback ?? null,
    feedback_option: subscription.cancellation_details?.feedback_option ?? null,
    reason: subscription.cancellation_details?.reason ?? reason,
  };
  record.pendingProrations = [];
  ctx.events.emit('customer.subscription.deleted', subscription);
}

/** Sets or clears cancel-at-period-end on the object (the caller emits the update). */
export function setCancelAtPeriodEnd(ctx: EmulatorContext, record: SubscriptionRecord, value: boolean): void {
  const subscription = record.subscription;
  if (subscription.cancel_at_period_end === value) return;
  const details = subscription.cancellation_details ?? { comment: null, feedback: null, feedback_option: null, reason: null };
  subscription.cancel_at_period_end = value;
  subscription.cancel_at = value ? firstItem(subscription).current_period_end : null;
  subscription.canceled_at = value ? ctx.clock.nowSec() : null;
  subscription.cancellation_details = { ...details, reason: value ? 'cancellation_requested' : null };
}

function formatDate(sec: number): string {
  return new Date(sec * 1000).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}

function prorationLines(
  ctx: EmulatorContext,
  subscription: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  oldPrice: Stripe.Price,
  newPrice: Stripe.Price | null,
): InvoiceLineSpec[] {
  const now = ctx.clock.nowSec();
  const { current_period_start: start, current_period_end: end } = item;
  if (end <= now || end <= start || subscription.status === 'trialing') return [];
  const fraction = (end - now) / (end - start);
  const quantity = item.quantity ?? 1;
  const period = { start: now, end };
  const ref = { id: subscription.id, itemId: item.id };
  const lines: InvoiceLineSpec[] = [
    {
      amount: -Math.round(unitAmountOf(oldPrice) * quantity * fraction),
      description: `Unused time on ${productName(ctx, oldPrice)} after ${formatDate(now)}`,
      price: oldPrice,
      quantity,
      period,
      proration: true,
      subscription: ref,
    },
  ];
  if (newPrice) {
    lines.push({
      amount: Math.round(unitAmountOf(newPrice) * quantity * fraction),
      description: `Remaining time on ${productName(ctx, newPrice)} after ${formatDate(now)}`,
      price: newPrice,
      quantity,
      period,
      proration: true,
      subscription: ref,
    });
  }
  return lines;
}

/**
 * Switches the subscription's price. Same interval: `create_prorations` keeps proration lines for the next
 * renewal invoice, `always_invoice` invoices them now, `none` just switches. A different interval starts a
 * new billing cycle now and invoices it now (with a credit for unused time unless `none`), as Stripe does.
 * Returns the invoice to bill after the caller has emitted `customer.subscription.updated`.
 */
export function changePrice(ctx: EmulatorContext, record: SubscriptionRecord, price: Stripe.Price, proration: ProrationBehavior): InvoiceRecord | null {
  const subscription = record.subscription;
  const item = firstItem(subscription);
  const oldPrice = item.price;
  if (oldPrice.id === price.id) return null;
  const now = ctx.clock.nowSec();
  const intervalChanged = oldPrice.recurring?.interval !== price.recurring?.interval;
  const trialing = subscription.status === 'trialing';
  const prorations = proration === 'none' ? [] : prorationLines(ctx, subscription, item, oldPrice, intervalChanged ? null : price);
  item.price = price;
  item.plan = planOf(price);
  if (intervalChanged && !trialing) {
    item.current_period_start = now;
    item.current_period_end = periodEnd(now, price.recurring?.interval ?? 'month');
    subscription.billing_cycle_anchor = now;
    if (subscription.cancel_at_period_end) subscription.cancel_at = item.current_period_end;
    const lines = [...record.pendingProrations, ...prorations, subscriptionLine(ctx, subscription, item, { start: now, end: item.current_period_end })];
    record.pendingProrations = [];
    return createSubscriptionInvoice(ctx, record, 'subscription_update', lines, { start: now, end: now });
  }
  if (intervalChanged && trialing) {
    item.current_period_end = subscription.trial_end ?? item.current_period_end;
    return null;
  }
  if (proration === 'create_prorations') {
    record.pendingProrations.push(...prorations);
    return null;
  }
  if (proration === 'always_invoice' && (prorations.length > 0 || record.pendingProrations.length > 0)) {
    const lines = [...record.pendingProrations, ...prorations];
    record.pendingProrations = [];
    return createSubscriptionInvoice(ctx, record, 'subscription_update', lines, { start: now, end: now });
  }
  return null;
}

/** The period rolled over: a new period, a renewal invoice, its charge. A trial that ended becomes active. */
export function renew(ctx: EmulatorContext, record: SubscriptionRecord): void {
  const subscription = record.subscription;
  const item = firstItem(subscription);
  const before = snapshot(subscription);
  const previous = { start: item.current_period_start, end: item.current_period_end };
  const start = previous.end;
  const end = periodEnd(start, item.price.recurring?.interval ?? 'month', subscription.billing_cycle_anchor);
  item.current_period_start = start;
  item.current_period_end = end;
  if (subscription.status === 'trialing') subscription.status = 'active';
  const lines = [...record.pendingProrations, subscriptionLine(ctx, subscription, item, { start, end })];
  record.pendingProrations = [];
  const invoice = createSubscriptionInvoice(ctx, record, 'subscription_cycle', lines, previous);
  emitSubscriptionUpdated(ctx, record, before);
  billNewInvoice(ctx, record, invoice, 'later');
}

/** A retry of the open invoice of a past_due subscription. */
export function retryPayment(ctx: EmulatorContext, record: SubscriptionRecord, invoice: InvoiceRecord): void {
  const result = collectInvoice(ctx, invoice, record.card, 'later');
  if (result === 'paid') {
    if (record.subscription.status === 'past_due') {
      const before = snapshot(record.subscription);
      record.subscription.status = 'active';
      emitSubscriptionUpdated(ctx, record, before);
    }
    return;
  }
  afterFailedPayment(ctx, record, invoice);
}

