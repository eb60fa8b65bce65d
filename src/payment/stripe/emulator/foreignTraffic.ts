import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { DEFAULT_TEST_CARD, findTestCard, storedCard } from './cards.js';
import { completeCheckout } from './checkoutFlow.js';
import type { EmulatorContext } from './context.js';
import { newId } from './ids.js';
import { newPrice, newProduct, type PriceSeed } from './objects/catalog.js';
import { newPaymentIntent } from './objects/payment.js';
import { newCheckoutRecord, newCheckoutSession } from './objects/sessions.js';
import { newTaxId } from './objects/taxId.js';
import { attemptCharge, refundCharge } from './payments.js';
import type { ForeignTraffic } from '../../../emulators/shared/foreignTraffic.js';

/**
 * Stripe's foreign traffic (../shared/foreignTraffic.ts): `other-product` and `other-customer` pay a Payment
 * Link of another product of the account (a session the app did not create: no metadata, no
 * client_reference_id), through the emulator's own Checkout; `unknown-event` is `customer.tax_id.created`.
 * Stripe's own kind, `bare-charge-refund`: a payment taken in the Dashboard (no customer, no metadata),
 * refunded in full. Real objects of the account: the API reads them back like any other.
 */
export type StripeForeignTraffic = ForeignTraffic | { kind: 'bare-charge-refund' };
export const STRIPE_ONLY_FOREIGN_TRAFFIC = ['bare-charge-refund'] as const;

const OTHER_PRODUCT = "Another app's plan";

export function sendForeignTraffic(ctx: EmulatorContext, traffic: StripeForeignTraffic): void {
  if (traffic.kind === 'unknown-event') {
    ctx.events.emit('customer.tax_id.created', newTaxId(customerOf(ctx, undefined).id, ctx.clock.nowSec()));
    return;
  }
  if (traffic.kind === 'bare-charge-refund') {
    refundDashboardPayment(ctx);
    return;
  }
  const customer = traffic.kind === 'other-product' ? customerOf(ctx, traffic.customerId) : null;
  const price = otherProductPrice(ctx);
  const id = newId('cs_test');
  const session = newCheckoutSession(
    {
      id,
      url: `${ctx.baseUrl()}/checkout/${id}`,
      mode: 'subscription',
      customer: customer?.id ?? null,
      customerEmail: null,
      clientReferenceId: null,
      metadata: {},
      amount: price.unit_amount ?? 0,
      currency: price.currency,
      successUrl: null,
      cancelUrl: null,
      allowPromotionCodes: null,
      automaticTax: false,
      invoiceCreation: null,
      customerCreation: null,
      locale: null,
    },
    ctx.clock.nowSec(),
  );
  session.payment_link = newId('plink');
  const record = newCheckoutRecord(session, { price, quantity: 1, productName: OTHER_PRODUCT });
  ctx.store.checkoutSessions.set(id, record);
  // A new buyer types an email the app has never seen; a known customer's is filled in by Checkout.
  completeCheckout(ctx, record, { card: DEFAULT_TEST_CARD, email: `someone-else-${randomUUID().slice(0, 8)}@example.com` });
}

function refundDashboardPayment(ctx: EmulatorContext): void {
  const card = storedCard(findTestCard(DEFAULT_TEST_CARD)!, ctx.clock.nowMs());
  const paymentIntent = newPaymentIntent(
    { amount: 2500, currency: accountCurrency(ctx), customer: null, description: 'Payment from the Dashboard', metadata: {}, paymentMethod: card.paymentMethodId, receiptEmail: null },
    ctx.clock.nowSec(),
  );
  ctx.store.paymentIntents.set(paymentIntent.id, paymentIntent);
  attemptCharge(ctx, paymentIntent, card, { fail: false, email: null });
  const charge = ctx.store.charge(String(paymentIntent.latest_charge));
  refundCharge(ctx, charge, { amount: charge.amount, metadata: {}, reason: 'requested_by_customer' });
}

function customerOf(ctx: EmulatorContext, customerId: string | undefined): Stripe.Customer {
  if (customerId !== undefined) return ctx.store.customer(customerId, 'customerId');
  const newest = [...ctx.store.customers.values()].at(-1);
  if (!newest) throw new Error('No such customer yet: buy something first');
  return newest;
}

/** A monthly price no plan of the app uses, under a product of its own, added to the catalog the first time. */
function otherProductPrice(ctx: EmulatorContext): Stripe.Price {
  const existing = [...ctx.store.prices.values()].find((price) => price.nickname === OTHER_PRODUCT);
  if (existing) return existing;
  const now = ctx.clock.nowSec();
  const seed: PriceSeed = { id: newId('price'), productName: OTHER_PRODUCT, unitAmount: 4900, currency: accountCurrency(ctx), interval: 'month' };
  const product = newProduct(seed, now);
  ctx.store.products.set(product.id, product);
  const price = newPrice(seed, product.id, now);
  ctx.store.prices.set(price.id, price);
  return price;
}

/** The currency the account sells in: its first price's. */
function accountCurrency(ctx: EmulatorContext): string {
  return [...ctx.store.prices.values()][0]?.currency ?? 'usd';
}
