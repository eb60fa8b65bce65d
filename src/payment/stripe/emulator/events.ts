import { AsyncLocalStorage } from 'node:async_hooks';
import type Stripe from 'stripe';
import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import { newId } from './ids.js';
import { snapshot } from './snapshot.js';

export const API_VERSION = '2026-10-28.endive';

/** The events this emulator emits, typed by the SDK's own event types. */
export type EmittedEvent =
  | Stripe.CustomerCreatedEvent
  | Stripe.CustomerUpdatedEvent
  | Stripe.CheckoutSessionCompletedEvent
  | Stripe.CheckoutSessionExpiredEvent
  | Stripe.CustomerSubscriptionCreatedEvent
  | Stripe.CustomerSubscriptionUpdatedEvent
  | Stripe.CustomerSubscriptionDeletedEvent
  | Stripe.CustomerSubscriptionTrialWillEndEvent
  | Stripe.InvoiceCreatedEvent
  | Stripe.InvoiceFinalizedEvent
  | Stripe.InvoicePaidEvent
  | Stripe.InvoicePaymentSucceededEvent
  | Stripe.InvoicePaymentFailedEvent
  | Stripe.PaymentIntentSucceededEvent
  | Stripe.PaymentIntentPaymentFailedEvent
  | Stripe.ChargeSucceededEvent
  | Stripe.ChargeFailedEvent
  | Stripe.ChargeRefundedEvent
  | Stripe.RefundCreatedEvent
  // Sent only as foreign traffic (foreignTraffic.ts): an event the app does not act on.
  | Stripe.CustomerTaxIdCreatedEvent;

export type EmittedType = EmittedEvent['type'];
export type EventObject<T extends EmittedType> = Extract<EmittedEvent, { type: T }>['data']['object'];

/** The API request that caused the events being emitted (`event.request`); absent for automatic events. */
export const requestContext = new AsyncLocalStorage<Stripe.Event.Request>();

export class EventLog {
  private readonly list: Stripe.Event[] = [];
  private readonly byId = new Map<string, Stripe.Event>();

  constructor(
    private readonly clock: EmulatorClock,
    private readonly pendingWebhooks: () => number,
    private readonly onEmit: (event: Stripe.Event, settle?: () => void) => void,
  ) {}

  emit<T extends EmittedType>(type: T, object: EventObject<T>, previous?: Partial<EventObject<T>>): Stripe.Event {
    const data: Stripe.Event.Data = { object: snapshot(object) };
    if (previous) data.previous_attributes = snapshot(previous);
    const request = requestContext.getStore();
    // One cast: TypeScript cannot relate a generic `type` to its member of the union; `EventObject<T>` holds the pairing.
    const event = {
      id: newId('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: this.clock.nowSec(),
      data,
      livemode: false,
      pending_webhooks: this.pendingWebhooks(),
      request: request ? { ...request } : { id: null, idempotency_key: null },
      type,
    } as Extract<EmittedEvent, { type: T }>;
    this.record(event);
    return event;
  }

  /** The same object under a new event id (Stripe does send one change under two event ids). */
  duplicate(eventId: string, settle?: () => void): Stripe.Event {
    const original = this.get(eventId);
    if (!original) throw new Error(`No such event: ${eventId}`);
    const copy: Stripe.Event = { ...snapshot(original), id: newId('evt'), created: this.clock.nowSec() };
    this.record(copy, settle);
    return copy;
  }

  /** Puts back events saved by an earlier run (nothing is delivered for them). */
  restore(events: Stripe.Event[]): void {
    for (const event of events) {
      this.list.push(event);
      this.byId.set(event.id, event);
    }
  }

  get(id: string): Stripe.Event | undefined {
    return this.byId.get(id);
  }

  all(): Stripe.Event[] {
    return this.list;
  }

  private record(event: Stripe.Event, settle?: () => void): void {
    this.list.push(event);
    this.byId.set(event.id, event);
    this.onEmit(event, settle);
  }
}
