import type Stripe from 'stripe';
import { stripePrice } from './stripeObjects.js';

// Events as an endpoint on API version 2024-06-20 sends them (what a Dashboard-made endpoint of an
// older account gets): built from a pinned event by undoing what 2025-03-31.basil moved, as Stripe's
// upgrade guide lists it.
// - subscription: `current_period_start/end` on the subscription, not on its items; a top-level `plan`.
// - invoice: `subscription` and `subscription_details.metadata` at the top (no `parent`); lines with a
//   `price` object, `type`, `proration` and `subscription_item` (no `pricing`, no line `parent`);
//   `charge`, `payment_intent` and `paid` on the invoice.
// - charge: names its `invoice`.

export const LEGACY_API_VERSION = '2024-06-20';

type Loose = Record<string, unknown>;

function legacySubscription(subscription: Stripe.Subscription): Loose {
  const first = subscription.items.data[0]!;
  const items = subscription.items.data.map((item) => {
    const { current_period_end: _end, current_period_start: _start, ...rest } = item;
    return rest;
  });
  return {
    ...subscription,
    current_period_end: first.current_period_end,
    current_period_start: first.current_period_start,
    plan: first.plan,
    quantity: first.quantity,
    items: { ...subscription.items, data: items },
  };
}

function legacyInvoice(invoice: Stripe.Invoice, o: { paymentIntent?: string | null }): Loose {
  const { parent, ...rest } = invoice;
  const details = parent?.subscription_details ?? null;
  const lines = invoice.lines.data.map((line) => {
    const { pricing, parent: lineParent, ...lineRest } = line;
    const priceId = pricing?.price_details?.price;
    return {
      ...lineRest,
      type: lineParent?.type === 'subscription_item_details' ? 'subscription' : 'invoiceitem',
      proration: false,
      subscription_item: lineParent?.subscription_item_details?.subscription_item ?? null,
      price: priceId === undefined ? null : stripePrice(typeof priceId === 'string' ? priceId : priceId.id),
    };
  });
  return {
    ...rest,
    subscription: details?.subscription ?? null,
    subscription_details: { metadata: details?.metadata ?? null },
    charge: invoice.status === 'paid' ? `ch_for_${invoice.id}` : null,
    payment_intent: o.paymentIntent ?? null,
    paid: invoice.status === 'paid',
    lines: { ...invoice.lines, data: lines },
  };
}

/**
 * The event as version 2024-06-20 sends it. `chargeInvoice`: the invoice a refunded charge paid (a
 * one-time checkout's charge names none); `paymentIntent`: the invoice's.
 */
export function inApiVersion20240620<E extends Stripe.Event>(event: E, o: { chargeInvoice?: string | null; paymentIntent?: string | null } = {}): Loose {
  const object = event.data.object as { object: string };
  const legacy =
    object.object === 'subscription'
      ? legacySubscription(object as unknown as Stripe.Subscription)
      : object.object === 'invoice'
        ? legacyInvoice(object as unknown as Stripe.Invoice, o)
        : object.object === 'charge'
          ? { ...object, invoice: o.chargeInvoice ?? null }
          : object;
  return { ...event, api_version: LEGACY_API_VERSION, data: { ...event.data, object: legacy } };
}
