import type Stripe from 'stripe';
import { newId, randomChars } from '../ids.js';
import type { WebhookEndpointRecord } from '../store.js';

/** A webhook endpoint as `POST /v1/webhook_endpoints` makes it, with its signing secret kept beside it. */
export function newWebhookEndpoint(
  fields: Pick<Stripe.WebhookEndpoint, 'url' | 'enabled_events' | 'api_version' | 'description' | 'metadata'>,
  nowSec: number,
  secret = `whsec_${randomChars(32)}`,
): WebhookEndpointRecord {
  const endpoint: Stripe.WebhookEndpoint = { id: newId('we'), object: 'webhook_endpoint', application: null, created: nowSec, livemode: false, status: 'enabled', ...fields };
  return { endpoint, secret };
}

/** Stripe shows `secret` only in the answer to the create call. */
export function withSecret(record: WebhookEndpointRecord): Stripe.WebhookEndpoint {
  return { ...record.endpoint, secret: record.secret };
}

/** Whether an endpoint is sent `eventType`: enabled, and subscribed to it or to `*`. */
export function receives(endpoint: Stripe.WebhookEndpoint, eventType: string): boolean {
  return endpoint.status === 'enabled' && (endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(eventType));
}
