import { DEFAULT_TEST_CARD, findTestCard, luhnValid, normalizeCardNumber, type TestCard } from './cards.js';
import type { EmulatorContext } from './context.js';
import { emitInvoice, emitOrder, emitSubscription } from './lifecycle.js';
import { newCustomer } from './objects/customer.js';
import { newInvoice, setInvoiceStatus } from './objects/invoice.js';
import { newOrder } from './objects/order.js';
import { newSubscription } from './objects/subscription.js';
import type { CheckoutRecord, CustomerRecord, OrderRecord, SubscriptionRecord, VariantRecord } from './store.js';
import { PaymentError, type PaymentDetails } from '../../../emulators/shared/checkoutPayment.js';

export type { PaymentDetails } from '../../../emulators/shared/checkoutPayment.js';

/** The payment could not go through; nothing changed and no webhook was sent. */
export class CheckoutPaymentError extends PaymentError<'card' | 'email' | 'expiry' | 'cvc' | 'checkout'> {}

export const DECLINE_MESSAGE = 'Your card was declined.';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isExpired(ctx: EmulatorContext, checkout: CheckoutRecord): boolean {
  return checkout.expiresAt !== null && checkout.expiresAt <= ctx.clock.nowSec();
}

function parseExpiry(input: string | undefined, nowSec: number): void {
  if (input === undefined || input.trim() === '') return;
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!m) throw new CheckoutPaymentError('The expiration date is incomplete (MM / YY).', 'expiry', 'invalid');
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  const now = new Date(nowSec * 1000);
  if (month < 1 || month > 12) throw new CheckoutPaymentError('The expiration month is invalid.', 'expiry', 'invalid');
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    throw new CheckoutPaymentError('The card has expired.', 'expiry', 'invalid');
  }
}

function validate(ctx: EmulatorContext, checkout: CheckoutRecord, details: PaymentDetails): { card: TestCard; email: string } {
  if (isExpired(ctx, checkout)) throw new CheckoutPaymentError('This checkout has expired.', 'checkout', 'unavailable');
  const email = (details.email || checkout.attributes.checkout_data.email || details.fallbackEmail || '').trim();
  if (!EMAIL.test(email)) throw new CheckoutPaymentError('Please enter a valid email address.', 'email', 'invalid');
  const number = normalizeCardNumber(details.card);
  if (!/^\d+$/.test(number) || !luhnValid(number)) throw new CheckoutPaymentError('The card number is invalid.', 'card', 'invalid');
  parseExpiry(details.expiry, ctx.clock.nowSec());
  if (details.cvc !== undefined && details.cvc.trim() !== '' && !/^\d{3,4}$/.test(details.cvc.trim())) {
    throw new CheckoutPaymentError('The security code is invalid.', 'cvc', 'invalid');
  }
  const card = findTestCard(number);
  if (!card) throw new CheckoutPaymentError(`${DECLINE_MESSAGE} In test mode, use a test card such as 4242 4242 4242 4242.`, 'card', 'declined');
  if (card.behavior === 'decline') throw new CheckoutPaymentError(DECLINE_MESSAGE, 'card', 'declined');
  return { card, email };
}

/** One customer per email per store, as in LS; a returning customer's card becomes the one just used. */
function ensureCustomer(ctx: EmulatorContext, checkout: CheckoutRecord, email: string, card: TestCard): CustomerRecord {
  const existing = ctx.store.customerByEmail(email);
  if (existing) {
    existing.card = card;
    return existing;
  }
  const name = checkout.attributes.checkout_data.name || email.split('@')[0]!;
  const customer = newCustomer(ctx, { email, name, card });
  ctx.store.customers.set(customer.id, customer);
  return customer;
}

export interface CompletedCheckout {
  order: OrderRecord;
  subscription: SubscriptionRecord | null;
  /** `product_options.redirect_url`, or the emulator's confirmation page. */
  redirectUrl: string;
}

/**
 * What the hosted page's Pay does. Throws `CheckoutPaymentError` (and changes nothing) for a declined or
 * invalid card or an expired checkout. A checkout is a reusable link, as in LS: each payment is a new order.
 *
 * Webhooks: `order_created`; for a subscription variant then `subscription_created`,
 * `subscription_payment_success` (the first subscription invoice, billing_reason `initial`) and the
 * `subscription_updated` Lemon Squeezy sends after it. With the variant's free trial (not skipped): a $0
 * order and an `on_trial` subscription (no subscription item yet), no invoice.
 */
export function completeCheckout(ctx: EmulatorContext, checkout: CheckoutRecord, details: PaymentDetails = { card: DEFAULT_TEST_CARD }): CompletedCheckout {
  const { card, email } = validate(ctx, checkout, details);
  const variant: VariantRecord | undefined = ctx.store.variants.get(checkout.variantId);
  if (!variant) throw new CheckoutPaymentError('This product is no longer available.', 'checkout', 'unavailable');
  const customer = ensureCustomer(ctx, checkout, email, card);

  // The variant's free trial, unless the checkout skips it: nothing is charged until it ends.
  const trial = variant.interval !== null && variant.trialDays > 0 && !checkout.attributes.checkout_options.skip_trial;
  const order = newOrder(ctx, customer, variant, checkout, { trial });
  ctx.store.orders.set(order.id, order);
  emitOrder(ctx, 'order_created', order);

  let subscription: SubscriptionRecord | null = null;
  if (variant.interval) {
    subscription = newSubscription(ctx, customer, { ...variant, interval: variant.interval }, order, card, { trial });
    ctx.store.subscriptions.set(subscription.id, subscription);
    emitSubscription(ctx, 'subscription_created', subscription);
    if (!trial) {
      const invoice = newInvoice(ctx, subscription, variant, 'initial');
      setInvoiceStatus(ctx, invoice, 'paid');
      ctx.store.invoices.set(invoice.id, invoice);
      emitInvoice(ctx, 'subscription_payment_success', invoice);
    }
    // Lemon Squeezy follows subscription_created with a subscription_updated of the same state.
    emitSubscription(ctx, 'subscription_updated', subscription);
  }
  const redirectUrl = checkout.attributes.product_options.redirect_url || order.attributes.urls.receipt;
  return { order, subscription, redirectUrl };
}
