import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import { WebhookTarget } from '../../../emulators/shared/webhookTarget.js';
import { WEBHOOK_EVENTS } from './objects/webhookEndpoint.js';
import type { EndpointRecord, Store } from './store.js';

/** The Lemon Squeezy emulator's delivery target (../shared/webhookTarget.ts): the store's `/v1/webhooks`. */
export function lemonSqueezyWebhookTarget(store: Store, clock: EmulatorClock, initial: { url: string | undefined; secret: string }): WebhookTarget<EndpointRecord> {
  const book = {
    endpointFor: (url: string | undefined) => store.endpointFor(url),
    addDashboardEndpoint: (url: string, secret: string, nowSec: number) => void store.addEndpoint({ url, events: [...WEBHOOK_EVENTS], secret, testMode: true }, nowSec),
    receives: (endpoint: EndpointRecord, eventName: string) => endpoint.events.includes(eventName),
    secretOf: (endpoint: EndpointRecord) => endpoint.secret,
    sent: (endpoint: EndpointRecord, nowSec: number) => void (endpoint.lastSentAt = nowSec),
  };
  return new WebhookTarget(book, clock, initial);
}
