// Lemon Squeezy's own example objects, as its API reference shows them ("The order object", "The
// subscription object", "The subscription invoice object", and the webhook docs' request example), with
// our ids substituted. Where the docs' example lacks a field real deliveries carry (`refunded_amount` on
// the retrieve-order and subscription-invoice examples) it is left out, as in the docs: older deliveries
// look like that. `withUnknownFields` adds what a newer API version might send. `minimal*` are the
// fields the mapper reads and nothing else. Tests map all three and expect the same events.

import { TEST_STORE_ID } from './lemonSqueezyPayloads.js';

const DOCS_TIME = '2021-08-11T13:47:28.000000Z';
const api = (path: string) => `https://api.lemonsqueezy.com/v1/${path}`;
const rel = (type: string, id: string, keys: readonly string[]) =>
  Object.fromEntries(keys.map((key) => [key, { links: { related: api(`${type}/${id}/${key}`), self: api(`${type}/${id}/relationships/${key}`) } }]));

interface Resource {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  relationships?: Record<string, unknown>;
  links?: Record<string, unknown>;
}

export interface OrderFacts {
  id: string;
  customerId: string;
  variantId: string;
  status?: string;
  total?: number;
  currency?: string;
  refundedAmount?: number;
  refundedAt?: string | null;
  createdAt?: string;
  updatedAt?: string;
}

/** The docs' order object (retrieve-order example: no refunded_amount unless given). */
export function documentedOrder(o: OrderFacts): Resource {
  const total = o.total ?? 1199;
  const refunded = o.refundedAmount;
  const status = o.status ?? 'paid';
  return {
    type: 'orders',
    id: o.id,
    attributes: {
      store_id: Number(TEST_STORE_ID),
      customer_id: Number(o.customerId),
      identifier: '104e18a2-d755-4d4b-80c4-a6c1dcbe1c10',
      order_number: 1,
      user_name: 'John Doe',
      user_email: 'johndoe@example.com',
      currency: o.currency ?? 'USD',
      currency_rate: '1.0000',
      subtotal: total - 200,
      setup_fee: 0,
      discount_total: 0,
      tax: 200,
      total,
      ...(refunded !== undefined && { refunded_amount: refunded }),
      subtotal_usd: total - 200,
      setup_fee_usd: 0,
      discount_total_usd: 0,
      tax_usd: 200,
      total_usd: total,
      ...(refunded !== undefined && { refunded_amount_usd: refunded }),
      tax_name: 'VAT',
      tax_rate: '20.00',
      tax_inclusive: false,
      status,
      status_formatted: status === 'paid' ? 'Paid' : status === 'refunded' ? 'Refunded' : status,
      refunded: status === 'refunded',
      refunded_at: o.refundedAt ?? null,
      subtotal_formatted: '$9.99',
      setup_fee_formatted: '$0.00',
      discount_total_formatted: '$0.00',
      tax_formatted: '$2.00',
      total_formatted: '$11.99',
      payment_processor: 'stripe',
      first_order_item: {
        id: 1,
        order_id: Number(o.id),
        product_id: 1,
        variant_id: Number(o.variantId),
        price_id: 1,
        product_name: 'Test Limited License for 2 years',
        variant_name: 'Default',
        quantity: 1,
        price: 1199,
        created_at: DOCS_TIME,
        updated_at: DOCS_TIME,
        test_mode: false,
      },
      urls: { receipt: `https://app.lemonsqueezy.com/my-orders/104e18a2-d755-4d4b-80c4-a6c1dcbe1c10?signature=8847fff02e1bfb0c7c43ff1cdf1b1657a8eed2029413692663b86859208c9f42` },
      created_at: o.createdAt ?? DOCS_TIME,
      updated_at: o.updatedAt ?? o.createdAt ?? DOCS_TIME,
    },
    relationships: rel('orders', o.id, ['store', 'customer', 'order-items', 'subscriptions', 'license-keys', 'discount-redemptions']),
    links: { self: api(`orders/${o.id}`) },
  };
}

export interface SubscriptionFacts {
  id: string;
  customerId: string;
  variantId: string;
  status?: string;
  cancelled?: boolean;
  renewsAt?: string | null;
  endsAt?: string | null;
  trialEndsAt?: string | null;
  updatedAt?: string;
}

/** The docs' subscription object (on trial: `first_subscription_item` null, as Lemon Squeezy sends it). */
export function documentedSubscription(o: SubscriptionFacts): Resource {
  const status = o.status ?? 'active';
  return {
    type: 'subscriptions',
    id: o.id,
    attributes: {
      store_id: Number(TEST_STORE_ID),
      customer_id: Number(o.customerId),
      order_id: 1,
      order_item_id: 1,
      product_id: 1,
      variant_id: Number(o.variantId),
      product_name: 'Lemonade',
      variant_name: 'Citrus Blast',
      user_name: 'John Doe',
      user_email: 'johndoe@example.com',
      status,
      status_formatted: status,
      card_brand: 'visa',
      card_last_four: '4242',
      payment_processor: 'stripe',
      pause: null,
      cancelled: o.cancelled ?? false,
      trial_ends_at: o.trialEndsAt ?? null,
      billing_anchor: 12,
      first_subscription_item:
        status === 'on_trial'
          ? null
          : { id: 1, subscription_id: Number(o.id), price_id: 1, quantity: 5, is_usage_based: false, created_at: DOCS_TIME, updated_at: DOCS_TIME },
      urls: {
        update_payment_method: 'https://my-store.lemonsqueezy.com/subscription/1/payment-details?expires=1666869343&signature=9985e3bf9007840aeb3951412be475abc17439c449c1af3e56e08e45e1345413',
        customer_portal: 'https://my-store.lemonsqueezy.com/billing?expires=1666869343&signature=82ae290ceac8edd4190c82825dd73a8743346d894a8ddbc4898b97eb96d105a5',
        customer_portal_update_subscription: 'https://my-store.lemonsqueezy.com/billing/1/update?expires=1666869343&signature=e4fabc7ee703664d644bba9e79a9cd3dd00622308b335f3c166787f0b18999f2',
      },
      renews_at: o.renewsAt === undefined ? '2022-11-12T00:00:00.000000Z' : o.renewsAt,
      ends_at: o.endsAt ?? null,
      created_at: DOCS_TIME,
      updated_at: o.updatedAt ?? DOCS_TIME,
      test_mode: false,
    },
    relationships: rel('subscriptions', o.id, ['store', 'customer', 'order', 'order-item', 'product', 'variant', 'subscription-items', 'subscription-invoices']),
    links: { self: api(`subscriptions/${o.id}`) },
  };
}

export interface InvoiceFacts {
  id: string;
  subscriptionId: string;
  customerId: string;
  billingReason?: string;
  status?: string;
  total?: number;
  currency?: string;
  refundedAmount?: number;
  refundedAt?: string | null;
  updatedAt?: string;
}

/** The docs' subscription invoice object (no refunded_amount unless given, as in the docs' example). */
export function documentedSubscriptionInvoice(o: InvoiceFacts): Resource {
  const total = o.total ?? 999;
  const status = o.status ?? 'paid';
  return {
    type: 'subscription-invoices',
    id: o.id,
    attributes: {
      store_id: Number(TEST_STORE_ID),
      subscription_id: Number(o.subscriptionId),
      customer_id: Number(o.customerId),
      user_name: 'John Doe',
      user_email: 'johndoe@example.com',
      billing_reason: o.billingReason ?? 'initial',
      card_brand: 'visa',
      card_last_four: '4242',
      currency: o.currency ?? 'USD',
      currency_rate: '1.00000000',
      status,
      status_formatted: status,
      refunded: status === 'refunded',
      refunded_at: o.refundedAt ?? null,
      subtotal: total,
      discount_total: 0,
      tax: 0,
      tax_inclusive: false,
      total,
      ...(o.refundedAmount !== undefined && { refunded_amount: o.refundedAmount, refunded_amount_usd: o.refundedAmount }),
      subtotal_usd: total,
      discount_total_usd: 0,
      tax_usd: 0,
      total_usd: total,
      subtotal_formatted: '$9.99',
      discount_total_formatted: '$0.00',
      tax_formatted: '$0.00',
      total_formatted: '$9.99',
      payment_processor: 'stripe',
      urls: { invoice_url: 'https://app.lemonsqueezy.com/my-orders/104e18a2-d755-4d4b-80c4-a6c1dcbe1c10/subscription-invoice/1?signature=8847fff02e1bfb0c7c43ff1cdf1b1657a8eed2029413692663b86859208c9f42' },
      created_at: DOCS_TIME,
      updated_at: o.updatedAt ?? DOCS_TIME,
      test_mode: false,
    },
    relationships: rel('subscription-invoices', o.id, ['store', 'subscription', 'customer']),
    links: { self: api(`subscription-invoices/${o.id}`) },
  };
}

/** Fields a newer API version might add, at every level the mapper reads: they must change nothing. */
export function withUnknownFields(resource: Resource): Resource {
  const attributes: Record<string, unknown> = { ...resource.attributes, future_attribute: { nested: [1, 'two'] }, future_flag: true };
  if (typeof attributes.first_order_item === 'object' && attributes.first_order_item !== null) {
    attributes.first_order_item = { ...attributes.first_order_item, future_item_field: 'x' };
  }
  return { ...resource, attributes, future_member: 'resource-level' } as Resource;
}

/** Only the fields the mappers read: what the oldest or thinnest delivery could carry. */
export function minimalResource(resource: Resource): Resource {
  const a = resource.attributes;
  const pick = (keys: string[]) => Object.fromEntries(keys.filter((key) => a[key] !== undefined).map((key) => [key, a[key]]));
  const keys: Record<string, string[]> = {
    orders: ['customer_id', 'status', 'currency', 'total', 'refunded_amount', 'refunded_at', 'created_at', 'updated_at'],
    subscriptions: ['customer_id', 'variant_id', 'status', 'cancelled', 'renews_at', 'ends_at', 'trial_ends_at', 'updated_at'],
    'subscription-invoices': ['customer_id', 'subscription_id', 'billing_reason', 'status', 'currency', 'total', 'refunded_amount', 'refunded_at', 'updated_at'],
  };
  const attributes = pick(keys[resource.type] ?? []);
  if (resource.type === 'orders') attributes.first_order_item = { variant_id: (a.first_order_item as { variant_id: number }).variant_id };
  const item = a.first_subscription_item as { quantity: number } | null | undefined;
  if (resource.type === 'subscriptions' && item) attributes.first_subscription_item = { quantity: item.quantity };
  return { type: resource.type, id: resource.id, attributes };
}

/** The webhook request the docs show: meta (event name, custom data as strings, test mode, webhook id) and the object. */
export function documentedWebhook(eventName: string, data: Resource, custom?: Record<string, string>): { meta: Record<string, unknown>; data: Resource } {
  return {
    meta: { test_mode: true, event_name: eventName, webhook_id: '1b4da8a2-1b6c-4f0e-9a38-ee4ef0e1e5c5', ...(custom && { custom_data: custom }) },
    data,
  };
}
