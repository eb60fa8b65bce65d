import type Stripe from 'stripe';
import type { StoredCard } from './cards.js';
import { noSuch } from './errors.js';
import type { InvoiceLineSpec } from './objects/invoice.js';

/** What Checkout keeps beside the session object: the line, and what it passes on to the objects it creates. */
export interface CheckoutSessionRecord {
  session: Stripe.Checkout.Session;
  price: Stripe.Price;
  quantity: number;
  lineItems: Stripe.LineItem[];
  subscriptionData: { metadata: Stripe.Metadata; trialPeriodDays: number | null; description: string | null };
  paymentIntentData: { metadata: Stripe.Metadata; description: string | null; receiptEmail: string | null };
  invoiceData: { metadata: Stripe.Metadata; description: string | null };
}

export interface SubscriptionRecord {
  subscription: Stripe.Subscription;
  /** The card paid with at checkout: renewals charge it. */
  card: StoredCard;
  trialWillEndSent: boolean;
  /** Proration lines (`create_prorations`) waiting for the next renewal invoice. */
  pendingProrations: InvoiceLineSpec[];
}

export interface InvoiceRecord {
  invoice: Stripe.Invoice;
  paymentIntentId: string | null;
  payments: Stripe.InvoicePayment[];
}

/** A webhook endpoint and the secret that signs its deliveries (never shown after it is created). */
export interface WebhookEndpointRecord {
  endpoint: Stripe.WebhookEndpoint;
  secret: string;
}

/** A response saved under an `Idempotency-Key`, replayed for the same key and request. */
export interface IdempotentResponse {
  fingerprint: string;
  status: number;
  body: unknown;
}

/** Every object the emulator holds, by id, in creation order. */
export class Store {
  readonly products = new Map<string, Stripe.Product>();
  readonly prices = new Map<string, Stripe.Price>();
  readonly customers = new Map<string, Stripe.Customer>();
  readonly checkoutSessions = new Map<string, CheckoutSessionRecord>();
  readonly portalSessions = new Map<string, Stripe.BillingPortal.Session>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  readonly invoices = new Map<string, InvoiceRecord>();
  readonly paymentIntents = new Map<string, Stripe.PaymentIntent>();
  readonly charges = new Map<string, Stripe.Charge>();
  readonly refunds = new Map<string, Stripe.Refund>();
  readonly webhookEndpoints = new Map<string, WebhookEndpointRecord>();
  /** Saved responses by `<sha256 of the API key>\u0000<Idempotency-Key>`, oldest first. */
  readonly idempotencyKeys = new Map<string, IdempotentResponse>();

  customer(id: string, param = 'id'): Stripe.Customer {
    const found = this.customers.get(id);
    if (!found) throw noSuch('customer', id, param);
    return found;
  }

  price(id: string, param = 'id'): Stripe.Price {
    const found = this.prices.get(id);
    if (!found) throw noSuch('price', id, param);
    return found;
  }

  product(id: string): Stripe.Product {
    const found = this.products.get(id);
    if (!found) throw noSuch('product', id);
    return found;
  }

  checkoutSession(id: string): CheckoutSessionRecord {
    const found = this.checkoutSessions.get(id);
    if (!found) throw noSuch('checkout.session', id);
    return found;
  }

  subscription(id: string, param = 'id'): SubscriptionRecord {
    const found = this.subscriptions.get(id);
    if (!found) throw noSuch('subscription', id, param);
    return found;
  }

  invoice(id: string, param = 'id'): InvoiceRecord {
    const found = this.invoices.get(id);
    if (!found) throw noSuch('invoice', id, param);
    return found;
  }

  paymentIntent(id: string, param = 'id'): Stripe.PaymentIntent {
    const found = this.paymentIntents.get(id);
    if (!found) throw noSuch('payment_intent', id, param);
    return found;
  }

  charge(id: string, param = 'id'): Stripe.Charge {
    const found = this.charges.get(id);
    if (!found) throw noSuch('charge', id, param);
    return found;
  }

  webhookEndpoint(id: string): WebhookEndpointRecord {
    const found = this.webhookEndpoints.get(id);
    if (!found) throw noSuch('webhook endpoint', id);
    return found;
  }

  /** The endpoint that receives deliveries to `url`: the oldest enabled one (a disabled one gets nothing). */
  endpointFor(url: string | undefined): WebhookEndpointRecord | undefined {
    for (const record of this.webhookEndpoints.values()) if (record.endpoint.url === url && record.endpoint.status === 'enabled') return record;
    return undefined;
  }

  /** Resolves an id by its prefix, for `expand[]`. */
  objectById(id: string): object | undefined {
    const prefix = id.slice(0, id.indexOf('_') + 1);
    switch (prefix) {
      case 'cus_':
        return this.customers.get(id);
      case 'sub_':
        return this.subscriptions.get(id)?.subscription;
      case 'in_':
        return this.invoices.get(id)?.invoice;
      case 'pi_':
        return this.paymentIntents.get(id);
      case 'ch_':
        return this.charges.get(id);
      case 'prod_':
        return this.products.get(id);
      case 're_':
        return this.refunds.get(id);
      default:
        return this.prices.get(id);
    }
  }
}
