import type Stripe from 'stripe';
import { TEST_PRICES, signStripeDelivery, stripeEvent } from '../payment/stripe/testing/stripeObjects.js';
import type { WireDelivery, WireEvent } from './wire.js';

export const seconds = (ms: number): number => Math.floor(ms / 1000);
export const priceOf = (planId: string): string => TEST_PRICES[planId as keyof typeof TEST_PRICES];

export function stripeWireDelivery(event: { id: string; type: string }): WireDelivery {
  const body = JSON.stringify(event);
  return { eventId: event.id, type: event.type, body, headers: () => signStripeDelivery(event, { body }).headers };
}

/** The event Stripe sends about `object`, as a wire event whose twin is the same object under another event id. */
export function stripeWireEvent(type: string, object: unknown, id: string, at: number): WireEvent {
  const event = stripeEvent(type as Stripe.Event.Type, object as never, { id, created: seconds(at) });
  return { delivery: stripeWireDelivery(event), twin: () => stripeWireDelivery({ ...event, id: `${id}_twin` }), at };
}
