import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import { WebhookTarget } from '../../../emulators/shared/webhookTarget.js';
import { API_VERSION } from './events.js';
import { newWebhookEndpoint, receives } from './objects/webhookEndpoint.js';
import type { Store, WebhookEndpointRecord } from './store.js';

/** The Stripe emulator's delivery target (../shared/webhookTarget.ts): the store's `/v1/webhook_endpoints`. */
export function stripeWebhookTarget(store: Store, clock: EmulatorClock, initial: { url: string | undefined; secret: string }): WebhookTarget<WebhookEndpointRecord> {
  const book = {
    endpointFor: (url: string | undefined) => store.endpointFor(url),
    addDashboardEndpoint(url: string, secret: string, nowSec: number) {
      const record = newWebhookEndpoint({ url, enabled_events: ['*'], api_version: API_VERSION, description: null, metadata: {} }, nowSec, secret);
      store.webhookEndpoints.set(record.endpoint.id, record);
    },
    receives: (record: WebhookEndpointRecord, eventType: string) => receives(record.endpoint, eventType),
    secretOf: (record: WebhookEndpointRecord) => record.secret,
  };
  return new WebhookTarget(book, clock, initial);
}
