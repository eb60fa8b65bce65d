import type Stripe from 'stripe';
import type { PriceSeed } from './objects/catalog.js';
import type { StripeForeignTraffic } from './foreignTraffic.js';
import type { DeliveryRecord, ResumeOrder, RetryPolicy } from './webhooks.js';

export type { DeliveryRecord, PriceSeed, ResumeOrder, RetryPolicy, StripeForeignTraffic };

export interface StripeEmulatorOptions {
  /** Default: a free port. Always on 127.0.0.1. */
  port?: number;
  /** Where events are POSTed; settable later with `setWebhookUrl`. Without one, events are recorded only. */
  webhookUrl?: string;
  /** The endpoint's signing secret (`whsec_...`): deliveries carry `Stripe-Signature` made with it. */
  webhookSecret: string;
  /** One product and price per entry; the price id is `id`. `interval` makes it a recurring price. */
  prices: PriceSeed[];
  /** Delivery retries: default 5 attempts in all, 500 ms before the first retry, doubling. */
  retry?: RetryPolicy;
  /**
   * Keep the state in this JSON file: loaded at start when it exists (`StateFileError` if it is corrupt or
   * of another version), saved after every change (atomically, off the request path) and on `stop()`.
   * Without it, everything is in memory only.
   */
  stateFile?: string;
}

export interface StripeEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  setWebhookUrl(url: string): void;
  /**
   * Moves the emulator clock forward and runs what falls due on the way, in time order: trial notices and
   * trial ends, renewals (a paid invoice, or a failed one with the 0341 card: past_due, retries every 3
   * days, canceled after the 3rd failure), cancel-at-period-end endings, session expiry.
   */
  advanceClock(seconds: number): Promise<void>;
  /** Queue events instead of sending them. */
  pauseDeliveries(): void;
  /** Send the queued events in that order, and resolve once they (and their retries) are done. */
  resumeDeliveries(options?: { order?: ResumeOrder }): Promise<void>;
  /** Loses later webhooks, as a processor sometimes does: all, or those about one customer (null: deliver again). */
  dropDeliveries(about: { customer?: string } | null): void;
  /** Event ids of the webhooks lost so far, oldest first (`redeliver` sends one late). */
  dropped(): string[];
  /** Delivers the same event (same id) again; resolves once delivered or given up (at once if paused). */
  redeliver(eventId: string): Promise<void>;
  /** The same object under a new event id, delivered like any event; resolves with the new id. */
  duplicateAsNewEvent(eventId: string): Promise<string>;
  /** A delay before each delivery attempt. */
  deliveryDelayMs: number;
  /** Every event emitted, in order (copies). */
  events(): Stripe.Event[];
  /** Every delivery attempt, in order. */
  deliveries(): DeliveryRecord[];
  /** Event ids whose delivery was given up after the last retry. */
  undelivered(): string[];
  /** Resolves when nothing is being delivered or waiting for a retry, and the queue is empty (or paused). */
  idle(): Promise<void>;
  /**
   * What the hosted page's Pay does. Throws `CheckoutPaymentError` for a declined or invalid card (nothing
   * changes, no events). `redirectUrl` is the `success_url` (with `{CHECKOUT_SESSION_ID}` filled in), or
   * the emulator's own confirmation page when the session has none.
   */
  completeCheckout(sessionId: string, card?: string): Promise<{ redirectUrl: string }>;
  /** What "Update payment method" in the portal does: later charges of the subscription use this card. */
  updatePaymentMethod(subscriptionId: string, card?: string): void;
  /** Emits what a real account sends that is not the app's: another product, another customer, an unknown event, a refunded Dashboard payment (foreignTraffic.ts). */
  sendForeignTraffic(traffic: StripeForeignTraffic): Promise<void>;
  /** The emulator clock. */
  now(): Date;
  /** Stops the server and deliveries; with a `stateFile`, resolves once the state is saved (rejects if it cannot be). */
  stop(): Promise<void>;
}
