import type Stripe from 'stripe';
import { inApiVersion20240620 } from './apiVersion20240620.js';
import { TEST_PRICES, signStripeDelivery, stripeEvent } from './stripeObjects.js';
import type { WireDelivery, WireEvent } from '../../../reliability/wire.js';

export const seconds = (ms: number): number => Math.floor(ms / 1000);
export const priceOf = (planId: string): string => TEST_PRICES[planId as keyof typeof TEST_PRICES];

export function stripeWireDelivery(event: { id: string; type: string }): WireDelivery {
  const body = JSON.stringify(event);
  return { eventId: event.id, type: event.type, body, headers: () => signStripeDelivery(event, { body }).headers };
}

/**
 * The event Stripe sends about `object`, as a wire event whose twin is the same object under another
 * event id. `legacy`: as an endpoint on API version 2024-06-20 sends it.
 */
export function stripeWireEvent(type: string, object: unknown, id: string, at: number, o: { legacy?: boolean } = {}): WireEvent {
  const pinned = stripeEvent(type as Stripe.Event.Type, object as never, { id, created: seconds(at) });
  const event = o.legacy ? (inApiVersion20240620(pinned) as { id: string; type: string }) : pinned;
  return { delivery: stripeWireDelivery(event), twin: () => stripeWireDelivery({ ...event, id: `${id}_twin` }), at };
}
