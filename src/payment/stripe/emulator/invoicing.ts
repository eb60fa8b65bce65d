import type Stripe from 'stripe';
import type { StoredCard } from './cards.js';
import type { EmulatorContext } from './context.js';
import { newInvoicePayment } from './objects/invoice.js';
import { newPaymentIntent } from './objects/payment.js';
import { attemptCharge } from './payments.js';
import { SECONDS_PER_DAY } from './periods.js';
import { idOf } from './refs.js';
import type { InvoiceRecord } from './store.js';

/** Failed renewal: retried every 3 days; after the 3rd failed attempt the subscription is canceled. */
export const RETRY_INTERVAL_SECONDS = 3 * SECONDS_PER_DAY;
export const MAX_PAYMENT_ATTEMPTS = 3;

export function storeInvoice(ctx: EmulatorContext, invoice: Stripe.Invoice): InvoiceRecord {
  const record: InvoiceRecord = { invoice, paymentIntentId: null, payments: [] };
  ctx.store.invoices.set(invoice.id, record);
  return record;
}

export function finalizeInvoice(ctx: EmulatorContext, record: InvoiceRecord): void {
  const invoice = record.invoice;
  const customer = ctx.store.customer(idOf(invoice.customer) ?? '', 'customer');
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  const now = ctx.clock.nowSec();
  invoice.number = `${customer.invoice_prefix ?? 'EMU'}-${String(sequence).padStart(4, '0')}`;
  invoice.status = 'open';
  invoice.status_transitions.finalized_at = now;
  invoice.effective_at = now;
  invoice.ending_balance = 0;
  ctx.events.emit('invoice.finalized', invoice);
}

/** Marks an invoice paid (by `paymentIntentId`, or with nothing to pay): `invoice.paid`, `invoice.payment_succeeded`. */
export function markInvoicePaid(ctx: EmulatorContext, record: InvoiceRecord, paymentIntentId: string | null): void {
  const invoice = record.invoice;
  const now = ctx.clock.nowSec();
  if (paymentIntentId && !record.payments.some((p) => idOf(p.payment.payment_intent) === paymentIntentId)) {
    record.paymentIntentId = paymentIntentId;
    record.payments.push(newInvoicePayment(invoice, paymentIntentId, now));
  }
  for (const payment of record.payments) {
    payment.status = 'paid';
    payment.amount_paid = payment.amount_requested;
    payment.status_transitions.paid_at = now;
  }
  invoice.status = 'paid';
  invoice.amount_paid = invoice.amount_due;
  invoice.amount_remaining = 0;
  invoice.attempted = true;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = now;
  invoice.webhooks_delivered_at = invoice.webhooks_delivered_at ?? now;
  ctx.events.emit('invoice.paid', invoice);
  ctx.events.emit('invoice.payment_succeeded', invoice);
}

function paymentDescription(reason: Stripe.Invoice.BillingReason | null): string | null {
  if (reason === 'subscription_create') return 'Subscription creation';
  if (reason === 'subscription_cycle' || reason === 'subscription_update') return 'Subscription update';
  return null;
}

/**
 * Charges an open invoice's amount due with the card. `first` is the charge made while the customer is on
 * the checkout page; `later` are off-session charges (renewals, retries, upgrades), which the 0341 card fails.
 */
export function collectInvoice(ctx: EmulatorContext, record: InvoiceRecord, card: StoredCard, attempt: 'first' | 'later'): 'paid' | 'failed' {
  const invoice = record.invoice;
  if (invoice.amount_due === 0) {
    markInvoicePaid(ctx, record, null);
    return 'paid';
  }
  const now = ctx.clock.nowSec();
  let paymentIntent = record.paymentIntentId ? ctx.store.paymentIntents.get(record.paymentIntentId) : undefined;
  if (!paymentIntent) {
    paymentIntent = newPaymentIntent(
      {
        amount: invoice.amount_due,
        currency: invoice.currency,
        customer: idOf(invoice.customer),
        description: paymentDescription(invoice.billing_reason),
        metadata: {},
        paymentMethod: card.paymentMethodId,
        receiptEmail: null,
      },
      now,
    );
    ctx.store.paymentIntents.set(paymentIntent.id, paymentIntent);
    record.paymentIntentId = paymentIntent.id;
    record.payments.push(newInvoicePayment(invoice, paymentIntent.id, now));
  }
  const fail = card.card.behavior === 'decline' || (card.card.behavior === 'fail_later' && attempt === 'later');
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (attemptCharge(ctx, paymentIntent, card, { fail, email: invoice.customer_email })) {
    markInvoicePaid(ctx, record, paymentIntent.id);
    return 'paid';
  }
  invoice.next_payment_attempt = invoice.attempt_count < MAX_PAYMENT_ATTEMPTS ? now + RETRY_INTERVAL_SECONDS : null;
  ctx.events.emit('invoice.payment_failed', invoice);
  return 'failed';
}
