import type { TestCard } from './cards.js';
import type {
  CurrencyCode,
  LsCheckoutAttributes,
  LsCustomerAttributes,
  LsOrderAttributes,
  LsSubscriptionAttributes,
  LsSubscriptionInvoiceAttributes,
} from './types.js';

/** `checkout_data.custom` as given at checkout; `undefined` when there was none. */
export type CustomData = Record<string, unknown> | unknown[] | undefined;

export interface StoreRecord {
  id: number;
  name: string;
  slug: string;
  currency: CurrencyCode;
  createdAt: number;
}

export interface VariantRecord {
  id: number;
  productId: number;
  /** LS keeps prices as objects of their own; the emulator only shows their ids. */
  priceId: number;
  productName: string;
  price: number;
  currency: CurrencyCode;
  interval: 'month' | 'year' | null;
  /** The free trial in days; 0: none. */
  trialDays: number;
  createdAt: number;
}

export interface CustomerRecord {
  id: number;
  /** `urls`, `total_revenue_currency` and `mrr` are worked out when the customer is shown. */
  attributes: LsCustomerAttributes;
  /** The card last paid with. */
  card: TestCard;
}

export interface CheckoutRecord {
  id: string;
  attributes: LsCheckoutAttributes;
  variantId: number;
  expiresAt: number | null;
  customData: CustomData;
}

export interface OrderRecord {
  id: number;
  attributes: LsOrderAttributes;
  customData: CustomData;
  checkoutId: string;
}

export interface SubscriptionRecord {
  id: number;
  /** `urls` are signed afresh whenever the subscription is shown. */
  attributes: LsSubscriptionAttributes;
  customData: CustomData;
  /** The card renewals charge. */
  card: TestCard;
  interval: 'month' | 'year';
  /** Day of month renewals fall on. */
  anchorDay: number;
  /** End of the current billing period (the next renewal when all is well). */
  periodEnd: number;
  /** The renewal invoice being retried while past_due. */
  openInvoiceId: number | null;
  /** Failed charges of the open invoice (the first attempt included). */
  failedAttempts: number;
}

/** A webhook set up through `/v1/webhooks` (or the one the emulator was started with). */
export interface EndpointRecord {
  id: number;
  url: string;
  events: string[];
  /** Signs the deliveries to `url`; never shown by the API. */
  secret: string;
  testMode: boolean;
  lastSentAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface InvoiceRecord {
  id: number;
  attributes: LsSubscriptionInvoiceAttributes;
  customData: CustomData;
}

/** The first id of each kind. */
export const ID_BASES = {
  product: 700_001,
  price: 800_001,
  customer: 100_001,
  order: 200_001,
  orderItem: 300_001,
  subscription: 400_001,
  subscriptionItem: 500_001,
  invoice: 600_001,
} as const;

export type IdKind = keyof typeof ID_BASES;
export const ID_KINDS = Object.keys(ID_BASES) as IdKind[];

/** The next id of each kind and the last order number: kept by the state file, so ids go on from there. */
export interface IdCounters {
  next: Record<IdKind, number>;
  orderNumber: number;
}

/**
 * Every object the emulator holds, by id, in creation order. Ids are integers as in LS, each kind in a
 * range of its own (customers from 100001, orders from 200001, ...) so that mixing them up fails.
 */
export class Store {
  readonly variants = new Map<number, VariantRecord>();
  readonly customers = new Map<number, CustomerRecord>();
  readonly checkouts = new Map<string, CheckoutRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly subscriptions = new Map<number, SubscriptionRecord>();
  readonly invoices = new Map<number, InvoiceRecord>();
  readonly endpoints = new Map<number, EndpointRecord>();
  private readonly counters = new Map<IdKind, number>();
  private orderNumber = 0;

  constructor(readonly store: StoreRecord) {}

  nextId(kind: IdKind): number {
    const next = this.counters.get(kind) ?? ID_BASES[kind];
    this.counters.set(kind, next + 1);
    return next;
  }

  nextOrderNumber(): number {
    this.orderNumber += 1;
    return this.orderNumber;
  }

  counterState(): IdCounters {
    const next = Object.fromEntries(ID_KINDS.map((kind) => [kind, this.counters.get(kind) ?? ID_BASES[kind]])) as Record<IdKind, number>;
    return { next, orderNumber: this.orderNumber };
  }

  restoreCounters(saved: IdCounters): void {
    for (const kind of ID_KINDS) this.counters.set(kind, saved.next[kind]);
    this.orderNumber = saved.orderNumber;
  }

  customerByEmail(email: string): CustomerRecord | undefined {
    const wanted = email.toLowerCase();
    for (const customer of this.customers.values()) if (customer.attributes.email.toLowerCase() === wanted) return customer;
    return undefined;
  }

  addEndpoint(fields: Pick<EndpointRecord, 'url' | 'events' | 'secret' | 'testMode'>, nowSec: number): EndpointRecord {
    const endpoint: EndpointRecord = { id: Math.max(0, ...this.endpoints.keys()) + 1, ...fields, lastSentAt: null, createdAt: nowSec, updatedAt: nowSec };
    this.endpoints.set(endpoint.id, endpoint);
    return endpoint;
  }

  /** The webhook that receives deliveries to `url` (the oldest, if several share it). */
  endpointFor(url: string | undefined): EndpointRecord | undefined {
    for (const endpoint of this.endpoints.values()) if (endpoint.url === url) return endpoint;
    return undefined;
  }

  subscriptionsOf(customerId: number): SubscriptionRecord[] {
    return [...this.subscriptions.values()].filter((s) => s.attributes.customer_id === customerId);
  }
}

/** `/v1/...` ids are decimal integers; anything else cannot exist. */
export function parseId(raw: string): number | null {
  return /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
}
