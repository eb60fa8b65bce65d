import type Stripe from 'stripe';
import { stripeFixtures } from './stripeFixtures.js';
import {
  stripeCharge,
  stripeCheckoutSession,
  stripeInvoice,
  stripeSubscription,
  type ChargeOptions,
  type CheckoutSessionOptions,
  type InvoiceOptions,
  type SubscriptionOptions,
} from './stripeObjects.js';

// Full-shape payloads: every field of Stripe's published example object (stripeFixtures.ts), with the
// values a test cares about taken from the minimal builder (stripeObjects.ts, same options) and
// fields a newer API version could add, so a mapper is shown to read what Stripe really sends and
// to pass over what it does not know. The fixture's odd values stay (a `subscription: null` on the
// invoice, lines without `price_details`, nested objects we never read).

/** Fields no API version has yet, at the top and nested, as a newer Stripe could send them. */
export const UNKNOWN_FIELDS = {
  x_field_from_a_newer_api: { enabled: true, nested: [{ kind: 'future', amount: 1 }] },
  x_newer_enum_field: 'value_we_do_not_know',
} as const;

type Loose = Record<string, unknown>;
const clone = <T>(value: T): T => structuredClone(value);
const pick = (object: object, keys: readonly string[]): Loose => Object.fromEntries(keys.map((key) => [key, (object as Loose)[key]]));
/** A fixture with the minimal object's values for `keys`, plus the unknown fields. */
const overlay = (fixture: object, ours: object, keys: readonly string[]): Loose => ({ ...clone(fixture), ...pick(ours, keys), ...UNKNOWN_FIELDS });
/** Metadata of another integration on the same account sits beside ours. */
const withForeignMetadata = (metadata: Stripe.Metadata | null): Stripe.Metadata => ({ other_integration_ref: 'crm-1234', ...metadata });

const fixtureItem = stripeFixtures.subscription.items.data[0]!;

export function fullShapeSubscription(o: SubscriptionOptions = {}): Stripe.Subscription {
  const ours = stripeSubscription(o);
  const items = ours.items.data.map((item) => ({
    ...overlay(fixtureItem, item, ['id', 'subscription', 'current_period_end', 'current_period_start']),
    price: overlay(fixtureItem.price, item.price, ['id', 'product', 'currency']),
    plan: overlay(fixtureItem.plan, item.plan, ['id', 'product', 'currency']),
  }));
  const subscription = overlay(stripeFixtures.subscription, ours, [
    'id',
    'customer',
    'status',
    'cancel_at',
    'cancel_at_period_end',
    'canceled_at',
    'trial_end',
    'trial_start',
    'ended_at',
    'created',
    'currency',
  ]);
  return { ...subscription, metadata: withForeignMetadata(ours.metadata), items: { ...ours.items, data: items } } as unknown as Stripe.Subscription;
}

const fixtureLine = stripeFixtures.invoice.lines.data[0]!;

export function fullShapeInvoice(o: InvoiceOptions = {}): Stripe.Invoice {
  const ours = stripeInvoice(o);
  const lines = ours.lines.data.map((line) => ({
    ...overlay(fixtureLine, line, ['id', 'invoice', 'amount', 'subtotal', 'parent', 'subscription', 'period']),
    pricing: { ...fixtureLine.pricing, ...line.pricing },
  }));
  const invoice = overlay(stripeFixtures.invoice, ours, [
    'id',
    'customer',
    'amount_due',
    'amount_paid',
    'amount_remaining',
    'currency',
    'parent',
    'status',
    'status_transitions',
    'last_finalization_error',
    'billing_reason',
    'subtotal',
    'total',
    'attempt_count',
    'attempted',
    'created',
  ]);
  return { ...invoice, metadata: withForeignMetadata(ours.metadata), lines: { ...ours.lines, data: lines } } as unknown as Stripe.Invoice;
}

export function fullShapeCheckoutSession(o: CheckoutSessionOptions): Stripe.Checkout.Session {
  const ours = stripeCheckoutSession(o);
  const session = overlay(stripeFixtures.checkoutSession, ours, [
    'id',
    'mode',
    'status',
    'payment_status',
    'customer',
    'client_reference_id',
    'amount_subtotal',
    'amount_total',
    'currency',
    'invoice',
    'invoice_creation',
    'payment_intent',
    'subscription',
    'success_url',
    'cancel_url',
    'url',
  ]);
  return { ...session, metadata: withForeignMetadata(ours.metadata) } as unknown as Stripe.Checkout.Session;
}

export function fullShapeCharge(o: ChargeOptions = {}): Stripe.Charge {
  const ours = stripeCharge(o);
  const charge = overlay(stripeFixtures.charge, ours, ['id', 'customer', 'payment_intent', 'amount', 'amount_captured', 'amount_refunded', 'refunded', 'currency', 'captured']);
  const refund = { ...clone(stripeFixtures.refund), charge: ours.id, amount: ours.amount_refunded, payment_intent: ours.payment_intent, customer: ours.customer, ...UNKNOWN_FIELDS };
  const refunds = { ...stripeFixtures.charge.refunds, data: ours.amount_refunded > 0 ? [refund] : [], url: `/v1/charges/${ours.id}/refunds` };
  return { ...charge, metadata: withForeignMetadata(ours.metadata), refunds } as unknown as Stripe.Charge;
}

/** A customer as `customer.created` carries it (another app's, or `stripe trigger`'s). */
export function fullShapeCustomer(o: { id: string; metadata?: Stripe.Metadata }): Stripe.Customer {
  return { ...clone(stripeFixtures.customer), id: o.id, metadata: o.metadata ?? {}, ...UNKNOWN_FIELDS } as unknown as Stripe.Customer;
}

/** A payment intent as `payment_intent.*` carries it. */
export function fullShapePaymentIntent(o: { id: string; customer?: string | null; status?: Stripe.PaymentIntent.Status }): Stripe.PaymentIntent {
  return { ...clone(stripeFixtures.paymentIntent), id: o.id, customer: o.customer ?? null, status: o.status ?? 'succeeded', ...UNKNOWN_FIELDS } as unknown as Stripe.PaymentIntent;
}

/** The two shapes every mapper test runs on: the minimal builders and the full shapes, same options. */
export const PAYLOAD_SHAPES = [
  { shape: 'minimal', subscription: stripeSubscription, invoice: stripeInvoice, checkoutSession: stripeCheckoutSession, charge: stripeCharge },
  { shape: 'full', subscription: fullShapeSubscription, invoice: fullShapeInvoice, checkoutSession: fullShapeCheckoutSession, charge: fullShapeCharge },
] as const;
export type PayloadShape = (typeof PAYLOAD_SHAPES)[number];
