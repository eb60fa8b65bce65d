import { randomBytes, randomUUID } from 'node:crypto';
import type { Order, Subscription, SubscriptionInvoice } from '@lemonsqueezy/lemonsqueezy.js';
import { ourCustomData } from '../customData.js';
import { LEMON_SQUEEZY_EVENT_NAME_HEADER, LEMON_SQUEEZY_SIGNATURE_HEADER, signLemonSqueezyPayload } from '../webhook/verifyLemonSqueezySignature.js';

// Lemon Squeezy webhook payloads for tests, with the objects typed as the SDK's own (Order, Subscription,
// SubscriptionInvoice), so the compiler holds every attribute we map to the shape Lemon Squeezy sends.
// Each builder takes the fields a test cares about; the rest are realistic defaults.

export const TEST_VARIANTS = { hobby: '501', pro: '502', credits10: '503' } as const;
export const TEST_PLAN_ENV = {
  PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: TEST_VARIANTS.hobby,
  PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: TEST_VARIANTS.pro,
  PAYMENTS_CREDITS_10_PLAN_ID: TEST_VARIANTS.credits10,
};
export const TEST_STORE_ID = '7001';
// Random per run: no secret is written in the source.
export const TEST_WEBHOOK_SECRET = `test_${randomBytes(18).toString('hex')}`;

type OrderData = Order['data'];
type SubscriptionData = Subscription['data'];
type SubscriptionInvoiceData = SubscriptionInvoice['data'];
type Currency = OrderData['attributes']['currency'];
type LemonSqueezyStatus = SubscriptionData['attributes']['status'];

/** A webhook as Lemon Squeezy posts it: the object the event is about, and meta. */
export interface LemonSqueezyWebhook<D = OrderData | SubscriptionData | SubscriptionInvoiceData> {
  meta: { test_mode: boolean; event_name: string; webhook_id: string; custom_data?: Record<string, unknown> };
  data: D;
}

let lastId = 900_000 + Math.floor(Math.random() * 1_000) * 1_000;
/** A fresh Lemon Squeezy id (integers; JSON:API writes them as strings). */
export const nextId = (): string => String(++lastId);

/** 2026-11-01T10:00:00Z plus `seconds`, as Lemon Squeezy writes times (microseconds, Z). */
export const lsTime = (seconds = 0): string => new Date(Date.UTC(2026, 10, 1, 10, 0, 0) + seconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
/** The same instant as a Date. */
export const lsDate = (seconds = 0): Date => new Date(lsTime(seconds));

function links(type: string, id: string) {
  return { self: `https://api.lemonsqueezy.com/v1/${type}/${id}` };
}

function relationships<K extends string>(type: string, id: string, keys: readonly K[]): Record<K, { links: { related: string; self: string } }> {
  return Object.fromEntries(
    keys.map((key) => [key, { links: { related: `https://api.lemonsqueezy.com/v1/${type}/${id}/${key}`, self: `https://api.lemonsqueezy.com/v1/${type}/${id}/relationships/${key}` } }]),
  ) as Record<K, { links: { related: string; self: string } }>;
}

const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export function lsOrder(
  o: {
    id?: string;
    customerId?: string;
    variantId?: string;
    status?: OrderData['attributes']['status'];
    total?: number;
    currency?: Currency;
    refundedAmount?: number;
    refundedAt?: string | null;
    createdAt?: string;
    updatedAt?: string;
  } = {},
): OrderData {
  const id = o.id ?? nextId();
  const total = o.total ?? 990;
  const refunded = o.refundedAmount ?? 0;
  const createdAt = o.createdAt ?? lsTime();
  const variantId = Number(o.variantId ?? TEST_VARIANTS.credits10);
  return {
    type: 'orders',
    id,
    attributes: {
      store_id: Number(TEST_STORE_ID),
      customer_id: Number(o.customerId ?? '4401'),
      identifier: randomUUID(),
      order_number: Number(id) % 10_000,
      user_name: 'Ada Owner',
      user_email: 'owner@example.com',
      currency: o.currency ?? 'USD',
      currency_rate: '1.00000000',
      subtotal: total,
      setup_fee: 0,
      discount_total: 0,
      tax: 0,
      total,
      refunded_amount: refunded,
      subtotal_usd: total,
      setup_fee_usd: 0,
      discount_total_usd: 0,
      tax_usd: 0,
      total_usd: total,
      refunded_amount_usd: refunded,
      tax_name: null,
      tax_rate: '0.00',
      tax_inclusive: false,
      status: o.status ?? 'paid',
      status_formatted: o.status === 'refunded' ? 'Refunded' : 'Paid',
      refunded: refunded > 0,
      // The SDK types refunded_at as a Date; on the wire it is an ISO string (JSON.stringify writes the Date as one).
      refunded_at: o.refundedAt ? new Date(o.refundedAt) : null,
      subtotal_formatted: usd(total),
      setup_fee_formatted: usd(0),
      discount_total_formatted: usd(0),
      tax_formatted: usd(0),
      total_formatted: usd(total),
      refunded_amount_formatted: usd(refunded),
      first_order_item: {
        id: Number(id) + 1,
        order_id: Number(id),
        product_id: 3301,
        variant_id: variantId,
        price_id: 8801,
        quantity: 1,
        product_name: 'Billing plugin',
        variant_name: `Variant ${variantId}`,
        price: total,
        created_at: createdAt,
        updated_at: createdAt,
        test_mode: true,
      },
      urls: { receipt: `https://store.test/my-orders/${id}?signature=abc` },
      created_at: createdAt,
      updated_at: o.updatedAt ?? createdAt,
      test_mode: true,
    },
    relationships: relationships('orders', id, ['store', 'customer', 'order-items', 'subscriptions', 'license-keys', 'discount-redemptions'] as const),
    links: links('orders', id),
  };
}

export function lsSubscription(
  o: {
    id?: string;
    customerId?: string;
    variantId?: string;
    status?: LemonSqueezyStatus;
    cancelled?: boolean;
    renewsAt?: string;
    endsAt?: string | null;
    trialEndsAt?: string | null;
    updatedAt?: string;
  } = {},
): SubscriptionData {
  const id = o.id ?? nextId();
  const status = o.status ?? 'active';
  const updatedAt = o.updatedAt ?? lsTime();
  return {
    type: 'subscriptions',
    id,
    attributes: {
      store_id: Number(TEST_STORE_ID),
      customer_id: Number(o.customerId ?? '4401'),
      order_id: Number(id) + 7,
      order_item_id: Number(id) + 8,
      product_id: 3301,
      variant_id: Number(o.variantId ?? TEST_VARIANTS.pro),
      product_name: 'Billing plugin',
      variant_name: 'Pro',
      user_name: 'Ada Owner',
      user_email: 'owner@example.com',
      status,
      status_formatted: status.replace('_', ' ').replace(/^./, (c) => c.toUpperCase()),
      card_brand: 'visa',
      card_last_four: '4242',
      pause: status === 'paused' ? { mode: 'void', resumes_at: null } : null,
      cancelled: o.cancelled ?? (status === 'cancelled' || status === 'expired'),
      trial_ends_at: o.trialEndsAt ?? null,
      billing_anchor: 1,
      first_subscription_item: { id: Number(id) + 9, subscription_id: Number(id), price_id: 8802, quantity: 1, is_usage_based: false, created_at: updatedAt, updated_at: updatedAt },
      urls: {
        update_payment_method: `https://store.test/subscription/${id}/payment-details?expires=1800000000&signature=def`,
        customer_portal: 'https://store.test/billing?expires=1800000000&user=1&signature=ghi',
        customer_portal_update_subscription: `https://store.test/billing/${id}/update?expires=1800000000&signature=jkl`,
      },
      renews_at: o.renewsAt ?? lsTime(30 * 86_400),
      ends_at: o.endsAt ?? null,
      created_at: lsTime(),
      updated_at: updatedAt,
      test_mode: true,
    },
    relationships: relationships('subscriptions', id, ['store', 'customer', 'order', 'order-item', 'product', 'variant', 'subscription-items', 'subscription-invoices'] as const),
    links: links('subscriptions', id),
  };
}

export function lsSubscriptionInvoice(
  o: {
    id?: string;
    subscriptionId?: string;
    customerId?: string;
    total?: number;
    currency?: Currency;
    status?: SubscriptionInvoiceData['attributes']['status'];
    billingReason?: SubscriptionInvoiceData['attributes']['billing_reason'];
    refundedAmount?: number;
    refundedAt?: string | null;
    updatedAt?: string;
  } = {},
): SubscriptionInvoiceData {
  const id = o.id ?? nextId();
  const total = o.total ?? 2900;
  const refunded = o.refundedAmount ?? 0;
  const status = o.status ?? 'paid';
  return {
    type: 'subscription-invoices',
    id,
    attributes: {
      store_id: Number(TEST_STORE_ID),
      subscription_id: Number(o.subscriptionId ?? nextId()),
      customer_id: Number(o.customerId ?? '4401'),
      user_name: 'Ada Owner',
      user_email: 'owner@example.com',
      billing_reason: o.billingReason ?? 'initial',
      card_brand: 'visa',
      card_last_four: '4242',
      currency: o.currency ?? 'USD',
      currency_rate: '1.00000000',
      status,
      status_formatted: status.replace(/^./, (c) => c.toUpperCase()),
      refunded: refunded > 0,
      refunded_at: o.refundedAt ?? null,
      subtotal: total,
      discount_total: 0,
      tax: 0,
      tax_inclusive: false,
      total,
      refunded_amount: refunded,
      refunded_amount_usd: refunded,
      refunded_amount_formatted: usd(refunded),
      subtotal_usd: total,
      discount_total_usd: 0,
      tax_usd: 0,
      total_usd: total,
      subtotal_formatted: usd(total),
      discount_total_formatted: usd(0),
      tax_formatted: usd(0),
      total_formatted: usd(total),
      urls: { invoice_url: status === 'pending' ? null : `https://store.test/my-orders/x/subscription-invoice/${id}?signature=mno` },
      created_at: lsTime(),
      updated_at: o.updatedAt ?? lsTime(),
      test_mode: true,
    },
    relationships: relationships('subscription-invoices', id, ['store', 'subscription', 'customer'] as const),
    links: links('subscription-invoices', id),
  };
}

/**
 * The webhook for `data`. `workspaceId` / `planId` become custom data the way our checkout sends it
 * (snake_case keys); `custom` replaces it entirely (null: no custom data, a checkout made elsewhere).
 */
export function lsWebhook<D extends OrderData | SubscriptionData | SubscriptionInvoiceData>(
  eventName: string,
  data: D,
  o: { workspaceId?: string; planId?: string; custom?: Record<string, unknown> | null } = {},
): LemonSqueezyWebhook<D> {
  const custom = o.custom !== undefined ? o.custom : o.workspaceId ? ourCustomData({ workspaceId: o.workspaceId, planId: o.planId ?? 'pro' }) : null;
  return {
    meta: { test_mode: true, event_name: eventName, webhook_id: randomUUID(), ...(custom && { custom_data: custom }) },
    data,
  };
}

/** The body and headers Lemon Squeezy would send: X-Signature over the exact bytes, X-Event-Name. */
export function signLemonSqueezyDelivery(
  payload: unknown,
  o: { secret?: string; eventName?: string | null; body?: string } = {},
): { body: string; headers: Record<string, string> } {
  const body = o.body ?? JSON.stringify(payload);
  const eventName = o.eventName === undefined ? (payload as LemonSqueezyWebhook).meta.event_name : o.eventName;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      [LEMON_SQUEEZY_SIGNATURE_HEADER]: signLemonSqueezyPayload(body, o.secret ?? TEST_WEBHOOK_SECRET),
      ...(eventName !== null && { [LEMON_SQUEEZY_EVENT_NAME_HEADER]: eventName }),
    },
  };
}
