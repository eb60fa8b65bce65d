import { describe, expect, it } from 'vitest';
import { encodeSample } from '../../../reliability/wireSample.js';
import { chaosWire } from './chaosWire.js';

describe('Lemon Squeezy chaos wire', () => {
  it("every event it sends for the histories; the plugin's delivery keys, another for a twin", () => {
    const { events, types, idsUnique } = encodeSample(chaosWire);
    expect(types).toEqual([
      'license_key_created',
      'order_created',
      'order_refunded',
      'subscription_cancelled',
      'subscription_created',
      'subscription_expired',
      'subscription_payment_failed',
      'subscription_payment_recovered',
      'subscription_payment_success',
      'subscription_plan_changed',
      'subscription_resumed',
      'subscription_updated',
    ]);
    expect(idsUnique).toBe(true);
    const event = events.find((e) => e.delivery.type === 'order_created')!;
    expect(event.delivery.eventId).toMatch(/^order_created:orders:\d+:/);
    expect(event.twin().eventId).not.toBe(event.delivery.eventId);
  });
});
