import type { EmulatorClock } from '../shared/clock.js';
import { WEBHOOK_EVENTS } from './objects/webhookEndpoint.js';
import type { EndpointRecord, Store } from './store.js';

/**
 * Where the emulator's deliveries go and how they are signed. The emulator delivers to one URL (the
 * `webhookUrl` it was started with, or `setWebhookUrl`'s). The store keeps a webhook for that URL, as a
 * store set up in the dashboard has one: created with the emulator's secret and every event when none
 * exists yet, and then changed only through `/v1/webhooks`. Each delivery is signed with that webhook's
 * secret and sent only for its events; with no webhook for the URL any more (deleted), nothing is sent.
 */
export class WebhookTarget {
  private url: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: EmulatorClock,
    private readonly initial: { url: string | undefined; secret: string },
  ) {
    this.url = initial.url;
    if (initial.url !== undefined) this.ensureEndpoint(initial.url);
  }

  moveTo(url: string): void {
    this.url = url;
    this.ensureEndpoint(url);
  }

  wants(eventName: string): boolean {
    const endpoint = this.endpoint();
    if (!endpoint?.events.includes(eventName)) return false;
    endpoint.lastSentAt = this.clock.nowSec();
    return true;
  }

  secret(): string {
    return this.endpoint()?.secret ?? this.initial.secret;
  }

  private endpoint(): EndpointRecord | undefined {
    return this.store.endpointFor(this.url);
  }

  private ensureEndpoint(url: string): void {
    if (!this.store.endpointFor(url)) this.store.addEndpoint({ url, events: [...WEBHOOK_EVENTS], secret: this.initial.secret, testMode: true }, this.clock.nowSec());
  }
}
