import type {
  Checkout,
  Customer,
  Order,
  Store,
  Subscription,
  SubscriptionInvoice,
  Variant,
} from '@lemonsqueezy/lemonsqueezy.js';
import type { ForeignTraffic } from '../../../emulators/shared/foreignTraffic.js';
import type { DeliveryRecord, ResumeOrder, RetryPolicy } from './webhooks.js';

export type { DeliveryRecord, ResumeOrder, RetryPolicy };

// ---------------------------------------------------------------------------------------------------
// The objects, typed by the SDK's own exported types. Where the SDK's types disagree with the API, the
// emulator follows the API and the override is spelled out here (and in the README):
// - orders and subscription invoices have the status `partial_refund`;
// - an order's `refunded_at` is an ISO string, not a `Date`;
// - orders, subscriptions and subscription invoices carry `payment_processor` (the SDK's types lack it);
// - a checkout's `preview` is `false` unless `preview: true` was asked for, and `checkout_data`'s
//   `billing_address` is `{}` when nothing was prefilled.
// ---------------------------------------------------------------------------------------------------

export type LsStoreData = Store['data'];
export type LsVariantData = Variant['data'];
export type LsCustomerData = Customer['data'];

/** Who took the card: Lemon Squeezy's card payments run on Stripe (PayPal is the other). */
export type PaymentProcessorName = 'stripe' | 'paypal';
export type LsSubscriptionData = Omit<Subscription['data'], 'attributes'> & {
  attributes: Subscription['data']['attributes'] & { payment_processor: PaymentProcessorName };
};

type SdkOrderAttributes = Order['data']['attributes'];
export type LsOrderAttributes = Omit<SdkOrderAttributes, 'status' | 'refunded_at'> & {
  status: SdkOrderAttributes['status'] | 'partial_refund';
  refunded_at: string | null;
  payment_processor: PaymentProcessorName;
};
export type LsOrderData = Omit<Order['data'], 'attributes'> & { attributes: LsOrderAttributes };

type SdkInvoiceAttributes = SubscriptionInvoice['data']['attributes'];
export type LsSubscriptionInvoiceAttributes = Omit<SdkInvoiceAttributes, 'status'> & {
  status: SdkInvoiceAttributes['status'] | 'partial_refund';
  payment_processor: PaymentProcessorName;
};
export type LsSubscriptionInvoiceData = Omit<SubscriptionInvoice['data'], 'attributes'> & {
  attributes: LsSubscriptionInvoiceAttributes;
};

type SdkCheckoutAttributes = Checkout['data']['attributes'];
export type LsCheckoutAttributes = Omit<SdkCheckoutAttributes, 'preview' | 'checkout_data'> & {
  preview: SdkCheckoutAttributes['preview'] | false;
  checkout_data: Omit<SdkCheckoutAttributes['checkout_data'], 'billing_address'> & {
    billing_address: Partial<SdkCheckoutAttributes['checkout_data']['billing_address']>;
  };
};
export type LsCheckoutData = Omit<Checkout['data'], 'attributes'> & { attributes: LsCheckoutAttributes };

export type LsStoreAttributes = LsStoreData['attributes'];
export type LsVariantAttributes = LsVariantData['attributes'];
export type LsCustomerAttributes = LsCustomerData['attributes'];
export type LsSubscriptionAttributes = LsSubscriptionData['attributes'];
export type CurrencyCode = LsOrderAttributes['currency'];

/** The webhook events this emulator sends (a subset of the SDK's event names). */
export type LsEventName =
  | 'order_created'
  | 'order_refunded'
  | 'subscription_created'
  | 'subscription_updated'
  | 'subscription_cancelled'
  | 'subscription_resumed'
  | 'subscription_expired'
  | 'subscription_paused'
  | 'subscription_unpaused'
  | 'subscription_payment_success'
  | 'subscription_payment_failed'
  | 'subscription_payment_recovered'
  | 'subscription_payment_refunded'
  // Sent only as foreign traffic (foreignTraffic.ts): an event the app does not act on.
  | 'affiliate_activated';

/** An affiliate, as much of it as the foreign-traffic event shows. */
export interface LsAffiliateData {
  type: 'affiliates';
  id: string;
  attributes: { store_id: number; user_email: string; status: string; created_at: string; updated_at: string };
}

/** What a webhook request carries: the object as the API shows it, when the event was emitted. */
export interface LsWebhookBody {
  meta: {
    event_name: LsEventName;
    /** The checkout's `checkout_data.custom`; absent when the checkout had none. */
    custom_data?: Record<string, unknown> | unknown[];
    test_mode: true;
    /** Identifies the (one) configured webhook: the same on every delivery, not an event id. */
    webhook_id: string;
  };
  data: LsOrderData | LsSubscriptionData | LsSubscriptionInvoiceData | LsAffiliateData;
}

/** One emitted webhook. `id` is the emulator's own delivery id (LS has no event ids). */
export interface EmittedWebhook {
  id: string;
  eventName: LsEventName;
  body: LsWebhookBody;
}

// ---------------------------------------------------------------------------------------------------
// Options and controls
// ---------------------------------------------------------------------------------------------------

export interface VariantSeed {
  /** The variant id: a positive integer (or its decimal string), as LS ids are. */
  id: number | string;
  productName: string;
  /** In minor units (cents). */
  price: number;
  /** ISO 4217, any case (`usd`, `USD`). */
  currency: string;
  /** Makes it a subscription variant billed every month or year. */
  interval?: 'month' | 'year';
  /** A subscription variant's free trial in days (LS: "has free trial", day interval): the first charge comes after it. */
  trialDays?: number;
}

export interface LemonSqueezyEmulatorOptions {
  /** The one store: a positive integer (or its decimal string). */
  storeId: number | string;
  /** One product with one variant per entry. */
  variants: VariantSeed[];
  /** Where webhooks are POSTed; settable later with `setWebhookUrl`. Without one, they are recorded only. */
  webhookUrl?: string;
  /** The webhook's signing secret: `X-Signature` is the hex HMAC-SHA256 of the raw body with it. */
  webhookSecret: string;
  /** Default: a free port. Always on 127.0.0.1. */
  port?: number;
  /** Delivery retries: default 4 attempts in all (LS retries 3 times), 5 s before the first retry, ×5 after. */
  retry?: RetryPolicy;
  /**
   * Keep the state in this JSON file (created when missing, folder included): read at start, saved after
   * each change and at `stop()`. A file it cannot use stops the start with `StateFileError`. Without it,
   * everything is in memory and gone at `stop()`.
   */
  stateFile?: string;
}

export interface LemonSqueezyEmulator {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  setWebhookUrl(url: string): void;
  /**
   * Moves the emulator clock forward and runs what falls due on the way, in time order: renewals (paid, or
   * failed with the 0341 card: past_due, retried every 3 days up to 4 times, then expired), the end of a
   * cancellation's grace period (expired), a pause's `resumes_at` (unpaused).
   */
  advanceClock(seconds: number): Promise<void>;
  /** Queue webhooks instead of sending them. */
  pauseDeliveries(): void;
  /** A delay before each delivery attempt. */
  deliveryDelayMs: number;
  /** Send the queued webhooks in that order, and resolve once they (and their retries) are done. */
  resumeDeliveries(options?: { order?: ResumeOrder }): Promise<void>;
  /** Loses later webhooks, as a processor sometimes does: all, or those about one customer (null: deliver again). */
  dropDeliveries(about: { customer?: string } | null): void;
  /** Delivery ids of the webhooks lost so far, oldest first (`redeliver` sends one late). */
  dropped(): string[];
  /** Sends an emitted webhook again, byte for byte; resolves once delivered or given up (at once if paused). */
  redeliver(deliveryId: string): Promise<void>;
  /** Every delivery attempt, in order. */
  deliveries(): DeliveryRecord[];
  /** Every webhook emitted, in order (copies). */
  emitted(): EmittedWebhook[];
  /** Resolves when nothing is being delivered or waiting for a retry, and the queue is empty (or paused). */
  idle(): Promise<void>;
  /**
   * What the hosted page's Pay does (with the checkout's prefilled email, else `customer@example.com`).
   * Throws `CheckoutPaymentError` for a declined or invalid card or an expired checkout: nothing changes, no
   * webhooks. `redirectUrl` is `product_options.redirect_url`, or the emulator's confirmation page.
   */
  completeCheckout(checkoutId: string, card?: string): Promise<{ redirectUrl: string }>;
  /** The portal's "Update payment method": the customer's subscriptions now charge a card that works. */
  updatePaymentMethod(customerId: number | string): Promise<void>;
  /** Emits what a real store sends that is not the app's: another product, another customer, an unknown event (foreignTraffic.ts). */
  sendForeignTraffic(traffic: ForeignTraffic): Promise<void>;
  /** The emulator clock. */
  now(): Date;
  /** Stops the server and the deliveries; with a `stateFile`, writes what is not saved yet (rejects if it cannot). */
  stop(): Promise<void>;
}
