import type Stripe from 'stripe';
import { advanceTo } from './billing.js';
import { finalizeInvoice, markInvoicePaid, storeInvoice } from './invoicing.js';
import { attemptCharge } from './payments.js';
import { idOf, productName } from './refs.js';
import { billNewInvoice, subscriptionLine } from './subscriptionLifecycle.js';
import { DEFAULT_TEST_CARD, findTestCard, luhnValid, normalizeCardNumber, type StoredCard } from './cards.js';
import type { EmulatorContext } from './context.js';
import { newId } from './ids.js';
import { newCustomer } from './objects/customer.js';
import { lineDescription, newInvoice } from './objects/invoice.js';
import { newPaymentIntent } from './objects/payment.js';
import { firstItem, newSubscription } from './objects/subscription.js';
import { periodEnd, SECONDS_PER_DAY } from './periods.js';
import type { CheckoutSessionRecord, SubscriptionRecord } from './store.js';
import { PaymentError, type PaymentDetails } from '../../../emulators/shared/checkoutPayment.js';

export type { PaymentDetails } from '../../../emulators/shared/checkoutPayment.js';

/** The payment could not go through; nothing changed and no event was sent. */
export class CheckoutPaymentError extends PaymentError<'card' | 'email' | 'expiry' | 'cvc' | 'session'> {}

function parseExpiry(input: string | undefined, nowSec: number): { month: number; year: number } {
  const now = new Date(nowSec * 1000);
  if (input === undefined || input.trim() === '') return { month: 12, year: now.getUTCFullYear() + 3 };
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!m) throw new CheckoutPaymentError("Your card's expiration date is incomplete.", 'expiry', 'invalid');
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) throw new CheckoutPaymentError("Your card's expiration month is invalid.", 'expiry', 'invalid');
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    throw new CheckoutPaymentError("Your card's expiration date is in the past.", 'expiry', 'invalid');
  }
  return { month, year };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The email Checkout will use: the customer's, the session's `customer_email`, or what was typed. */
export function prefilledEmail(ctx: EmulatorContext, record: CheckoutSessionRecord): string {
  const customerId = idOf(record.session.customer);
  const customer = customerId ? ctx.store.customers.get(customerId) : undefined;
  return customer?.email ?? record.session.customer_email ?? '';
}

/** Expires the session if its time has come (the clock may have been advanced). */
export function isOpen(ctx: EmulatorContext, record: CheckoutSessionRecord): boolean {
  if (record.session.status === 'open' && record.session.expires_at <= ctx.clock.nowSec()) advanceTo(ctx, ctx.clock.nowSec());
  return record.session.status === 'open';
}

function validate(ctx: EmulatorContext, record: CheckoutSessionRecord, details: PaymentDetails): { card: StoredCard; email: string } {
  if (!isOpen(ctx, record)) throw new CheckoutPaymentError('This checkout session is no longer available.', 'session', 'unavailable');
  const lockedEmail = idOf(record.session.customer) ? prefilledEmail(ctx, record) : '';
  const email = (lockedEmail || details.email || record.session.customer_email || details.fallbackEmail || '').trim();
  if (!EMAIL.test(email)) throw new CheckoutPaymentError('Your email address is invalid.', 'email', 'invalid');
  const number = normalizeCardNumber(details.card);
  if (!/^\d+$/.test(number) || !luhnValid(number)) throw new CheckoutPaymentError('Your card number is invalid.', 'card', 'invalid');
  const expiry = parseExpiry(details.expiry, ctx.clock.nowSec());
  if (details.cvc !== undefined && details.cvc.trim() !== '' && !/^\d{3,4}$/.test(details.cvc.trim())) {
    throw new CheckoutPaymentError("Your card's security code is invalid.", 'cvc', 'invalid');
  }
  const card = findTestCard(number);
  if (!card) {
    throw new CheckoutPaymentError('Your card was declined. Your request was in test mode, but used a non test card. For a list of valid test cards, visit: https://stripe.com/docs/testing.', 'card', 'declined');
  }
  if (card.behavior === 'decline') throw new CheckoutPaymentError('Your card was declined.', 'card', 'declined');
  return { card: { paymentMethodId: newId('pm'), card, expMonth: expiry.month, expYear: expiry.year }, email };
}

function ensureCustomer(ctx: EmulatorContext, record: CheckoutSessionRecord, email: string, required: boolean): Stripe.Customer | null {
  const existing = idOf(record.session.customer);
  if (existing) return ctx.store.customer(existing, 'customer');
  if (!required) return null;
  const customer = newCustomer({ email, name: null, description: null, phone: null, metadata: {} }, ctx.clock.nowSec());
  ctx.store.customers.set(customer.id, customer);
  ctx.events.emit('customer.created', customer);
  return customer;
}

function completeSubscription(ctx: EmulatorContext, record: CheckoutSessionRecord, card: StoredCard, email: string): void {
  const session = record.session;
  const now = ctx.clock.nowSec();
  const customer = ensureCustomer(ctx, record, email, true)!;
  const days = record.subscriptionData.trialPeriodDays;
  const trial = days ? { start: now, end: now + days * SECONDS_PER_DAY } : null;
  const subscription = newSubscription(
    {
      customer: customer.id,
      price: record.price,
      quantity: record.quantity,
      metadata: { ...record.subscriptionData.metadata },
      description: record.subscriptionData.description,
      periodStart: now,
      periodEnd: trial ? trial.end : periodEnd(now, record.price.recurring?.interval ?? 'month'),
      trial,
      defaultPaymentMethod: card.paymentMethodId,
      automaticTax: session.automatic_tax.enabled,
    },
    now,
  );
  const subRecord: SubscriptionRecord = { subscription, card, trialWillEndSent: false, pendingProrations: [] };
  ctx.store.subscriptions.set(subscription.id, subRecord);
  const item = firstItem(subscription);
  const line = trial
    ? subscriptionLine(ctx, subscription, item, { start: now, end: trial.end }, {
        amount: 0,
        description: `Trial period for ${productName(ctx, record.price)}`,
      })
    : subscriptionLine(ctx, subscription, item, { start: now, end: item.current_period_end });
  const invoice = newInvoice(
    {
      customer,
      currency: subscription.currency,
      billingReason: 'subscription_create',
      subscription: { id: subscription.id, metadata: { ...subscription.metadata } },
      lines: [line],
      periodStart: now,
      periodEnd: now,
      metadata: {},
      description: null,
      automaticTax: subscription.automatic_tax.enabled,
    },
    now,
  );
  const invoiceRecord = storeInvoice(ctx, invoice);
  subscription.latest_invoice = invoice.id;
  ctx.events.emit('customer.subscription.created', subscription);
  billNewInvoice(ctx, subRecord, invoiceRecord, 'first');

  session.customer = customer.id;
  session.subscription = subscription.id;
  session.invoice = invoice.id;
  session.payment_status = invoice.amount_paid > 0 ? 'paid' : 'no_payment_required';
}

function completePayment(ctx: EmulatorContext, record: CheckoutSessionRecord, card: StoredCard, email: string): void {
  const session = record.session;
  const now = ctx.clock.nowSec();
  const invoiceEnabled = session.invoice_creation?.enabled === true;
  const customer = ensureCustomer(ctx, record, email, invoiceEnabled || session.customer_creation === 'always');
  const amount = session.amount_total ?? 0;
  const paymentIntent = newPaymentIntent(
    {
      amount,
      currency: record.price.currency,
      customer: customer?.id ?? null,
      description: record.paymentIntentData.description,
      metadata: { ...record.paymentIntentData.metadata },
      paymentMethod: card.paymentMethodId,
      receiptEmail: record.paymentIntentData.receiptEmail,
    },
    now,
  );
  ctx.store.paymentIntents.set(paymentIntent.id, paymentIntent);
  attemptCharge(ctx, paymentIntent, card, { fail: false, email });

  if (invoiceEnabled && customer) {
    const invoice = newInvoice(
      {
        customer,
        currency: paymentIntent.currency,
        billingReason: 'manual',
        subscription: null,
        lines: [
          {
            amount,
            description: lineDescription(record.price, productName(ctx, record.price), record.quantity),
            price: record.price,
            quantity: record.quantity,
            period: { start: now, end: now },
            proration: false,
            subscription: null,
          },
        ],
        periodStart: now,
        periodEnd: now,
        metadata: { ...record.invoiceData.metadata },
        description: record.invoiceData.description,
        automaticTax: session.automatic_tax.enabled,
      },
      now,
    );
    const invoiceRecord = storeInvoice(ctx, invoice);
    ctx.events.emit('invoice.created', invoice);
    finalizeInvoice(ctx, invoiceRecord);
    invoice.attempt_count = 1;
    markInvoicePaid(ctx, invoiceRecord, paymentIntent.id);
    session.invoice = invoice.id;
  }
  session.customer = customer?.id ?? null;
  session.payment_intent = paymentIntent.id;
  session.payment_status = 'paid';
}

/**
 * What the hosted page's "Pay" does. Throws `CheckoutPaymentError` (and changes nothing) for a declined or
 * invalid card. Returns where the browser goes next: `success_url` with `{CHECKOUT_SESSION_ID}` filled in,
 * or null when the session has no `success_url`.
 */
export function completeCheckout(ctx: EmulatorContext, record: CheckoutSessionRecord, details: PaymentDetails = { card: DEFAULT_TEST_CARD }): string | null {
  const { card, email } = validate(ctx, record, details);
  const session = record.session;
  if (session.mode === 'subscription') completeSubscription(ctx, record, card, email);
  else completePayment(ctx, record, card, email);
  session.status = 'complete';
  session.url = null;
  session.customer_details = {
    address: null,
    business_name: null,
    email,
    individual_name: null,
    name: null,
    phone: null,
    tax_exempt: 'none',
    tax_ids: [],
  };
  session.collected_information = { business_name: null, individual_name: null, shipping_details: null };
  if (session.automatic_tax.enabled && session.automatic_tax.status) session.automatic_tax.status = 'complete';
  ctx.events.emit('checkout.session.completed', session);
  // Anything already due (a trial of 3 days or less is told `trial_will_end` at once).
  advanceTo(ctx, ctx.clock.nowSec());
  return session.success_url ? session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id) : null;
}
