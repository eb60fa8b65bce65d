import { describe, expect, it } from 'vitest';
import { encodeSample } from '../../../reliability/wireSample.js';
import { chaosWire } from './chaosWire.js';

describe('Stripe chaos wire', () => {
  it("every event type the mapper acts on, plus the ones Stripe sends beside them; Stripe's event ids; both API versions", () => {
    const { events, types, idsUnique } = encodeSample(chaosWire);
    expect(types).toEqual([
      'charge.refunded',
      'charge.succeeded',
      'checkout.session.completed',
      'customer.subscription.created',
      'customer.subscription.deleted',
      'customer.subscription.updated',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_failed',
      'invoice.payment_succeeded',
    ]);
    expect(idsUnique).toBe(true);
    const versions = new Set(events.map((e) => JSON.parse(e.delivery.body).api_version));
    expect([...versions].sort()).toEqual(['2024-06-20', '2026-10-28.endive']);
    const event = events[0]!;
    expect(JSON.parse(event.delivery.body).id).toBe(event.delivery.eventId);
    expect(event.twin().eventId).not.toBe(event.delivery.eventId);
    expect(event.twin().body.replace(/"id":"evt_[^"]+"/, '')).toBe(event.delivery.body.replace(/"id":"evt_[^"]+"/, ''));
  });
});
