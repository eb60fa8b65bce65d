import type { EmulatorClock } from './clock.js';

/** How one emulator keeps its webhook endpoints: the target asks only these. */
export interface EndpointBook<E> {
  /** The endpoint that receives deliveries to `url`, if any (an emulator decides which of several). */
  endpointFor(url: string | undefined): E | undefined;
  /** Adds the endpoint a store set up in the dashboard has: every event, signed with `secret`. */
  addDashboardEndpoint(url: string, secret: string, nowSec: number): void;
  receives(endpoint: E, eventName: string): boolean;
  secretOf(endpoint: E): string;
  /** Notes a delivery (e.g. `last_sent_at`); optional. */
  sent?(endpoint: E, nowSec: number): void;
}

/**
 * Where an emulator's deliveries go and how they are signed. It delivers to one URL (the `webhookUrl` it
 * was started with, or `setWebhookUrl`'s). The store keeps an endpoint for that URL, as an account set up
 * in the dashboard has one: added with the emulator's secret and every event when none exists yet, and
 * then changed only through the processor's webhook endpoints API. Each delivery is signed with that
 * endpoint's secret and sent only for its events; with no endpoint for the URL any more, nothing is sent.
 */
export class WebhookTarget<E> {
  private url: string | undefined;

  constructor(
    private readonly book: EndpointBook<E>,
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
    const endpoint = this.book.endpointFor(this.url);
    if (!endpoint || !this.book.receives(endpoint, eventName)) return false;
    this.book.sent?.(endpoint, this.clock.nowSec());
    return true;
  }

  secret(): string {
    const endpoint = this.book.endpointFor(this.url);
    return endpoint ? this.book.secretOf(endpoint) : this.initial.secret;
  }

  private ensureEndpoint(url: string): void {
    if (!this.book.endpointFor(url)) this.book.addDashboardEndpoint(url, this.initial.secret, this.clock.nowSec());
  }
}
