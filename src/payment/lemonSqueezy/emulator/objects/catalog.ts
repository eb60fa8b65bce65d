import { isoTime } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import type { VariantRecord } from '../store.js';
import type { LsStoreData, LsVariantData } from '../types.js';
import { relationships, selfLink } from './links.js';

const THIRTY_DAYS = 30 * 24 * 60 * 60;

export function storeView(ctx: EmulatorContext): LsStoreData {
  const store = ctx.store.store;
  const orders = [...ctx.store.orders.values()].map((o) => o.attributes);
  const since = ctx.clock.nowSec() - THIRTY_DAYS;
  const recent = orders.filter((o) => Date.parse(o.created_at) / 1000 >= since);
  const revenue = (list: typeof orders) => list.reduce((sum, o) => sum + o.total_usd - o.refunded_amount_usd, 0);
  const created = isoTime(store.createdAt);
  return {
    type: 'stores',
    id: String(store.id),
    attributes: {
      name: store.name,
      slug: store.slug,
      domain: new URL(ctx.baseUrl()).host,
      url: ctx.baseUrl(),
      avatar_url: '',
      plan: 'fresh',
      country: 'US',
      country_nicename: 'United States',
      currency: store.currency,
      total_sales: orders.length,
      total_revenue: revenue(orders),
      thirty_day_sales: recent.length,
      thirty_day_revenue: revenue(recent),
      created_at: created,
      updated_at: created,
    },
    relationships: relationships(ctx, 'stores', store.id, ['products', 'orders', 'subscriptions', 'discounts', 'license-keys', 'webhooks'] as const),
    links: selfLink(ctx, 'stores', store.id),
  };
}

/** A product's one variant, as LS shows the default variant of a single-variant product ("Default", pending). */
export function variantView(ctx: EmulatorContext, variant: VariantRecord): LsVariantData {
  const created = isoTime(variant.createdAt);
  return {
    type: 'variants',
    id: String(variant.id),
    attributes: {
      product_id: variant.productId,
      name: 'Default',
      slug: `variant-${variant.id}`,
      description: '',
      has_license_keys: false,
      license_activation_limit: 5,
      is_license_limit_unlimited: false,
      license_length_value: 1,
      license_length_unit: 'years',
      is_license_length_unlimited: false,
      links: [],
      sort: 0,
      status: 'pending',
      status_formatted: 'Pending',
      created_at: created,
      updated_at: created,
      test_mode: true,
      price: variant.price,
      is_subscription: variant.interval !== null,
      interval: variant.interval,
      interval_count: variant.interval ? 1 : null,
      has_free_trial: variant.trialDays > 0,
      trial_interval: 'day',
      trial_interval_count: variant.trialDays,
      pay_what_you_want: false,
      min_price: 0,
      suggested_price: 0,
    },
    relationships: relationships(ctx, 'variants', variant.id, ['product', 'files', 'price-model'] as const),
    links: selfLink(ctx, 'variants', variant.id),
  };
}

export function priceText(variant: VariantRecord): string {
  const amount = formatAmount(variant.price, variant.currency);
  return variant.interval ? `${amount} / ${variant.interval}` : amount;
}
