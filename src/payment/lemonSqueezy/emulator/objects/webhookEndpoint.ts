import type { Webhook } from '@lemonsqueezy/lemonsqueezy.js';
import { isoTime } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import type { EndpointRecord } from '../store.js';
import { relationships, selfLink } from './links.js';

/** Every event a Lemon Squeezy webhook can subscribe to (the SDK's list, and `subscription_plan_changed`). */
export const WEBHOOK_EVENTS = [
  'order_created',
  'order_refunded',
  'subscription_created',
  'subscription_updated',
  'subscription_cancelled',
  'subscription_resumed',
  'subscription_expired',
  'subscription_paused',
  'subscription_unpaused',
  'subscription_plan_changed',
  'subscription_payment_success',
  'subscription_payment_failed',
  'subscription_payment_recovered',
  'subscription_payment_refunded',
  'license_key_created',
  'license_key_updated',
  'affiliate_activated',
] as const;

/** The webhook as the API shows it: never its secret (Lemon Squeezy shows that in the dashboard only). */
export function endpointView(ctx: EmulatorContext, endpoint: EndpointRecord): Webhook['data'] {
  return {
    type: 'webhooks',
    id: String(endpoint.id),
    attributes: {
      store_id: ctx.store.store.id,
      url: endpoint.url,
      events: [...endpoint.events] as Webhook['data']['attributes']['events'],
      last_sent_at: endpoint.lastSentAt === null ? null : isoTime(endpoint.lastSentAt),
      created_at: isoTime(endpoint.createdAt),
      updated_at: isoTime(endpoint.updatedAt),
      test_mode: endpoint.testMode,
    },
    relationships: relationships(ctx, 'webhooks', endpoint.id, ['store'] as const),
    links: selfLink(ctx, 'webhooks', endpoint.id),
  };
}
