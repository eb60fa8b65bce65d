import type Stripe from 'stripe';
import { newId } from '../ids.js';
import { decimal } from './decimal.js';

/** A plan the emulator sells: one product and one price each. */
export interface PriceSeed {
  id: string;
  productName: string;
  unitAmount: number;
  currency: string;
  interval?: 'month' | 'year';
}

export function newProduct(seed: PriceSeed, created: number): Stripe.Product {
  return {
    id: newId('prod'),
    object: 'product',
    active: true,
    created,
    default_price: seed.id,
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: seed.productName,
    package_dimensions: null,
    shippable: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: created,
    url: null,
  };
}

export function newPrice(seed: PriceSeed, productId: string, created: number): Stripe.Price {
  return {
    id: seed.id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created,
    currency: seed.currency.toLowerCase(),
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: seed.productName,
    product: productId,
    recurring: seed.interval
      ? { interval: seed.interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' }
      : null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: seed.interval ? 'recurring' : 'one_time',
    unit_amount: seed.unitAmount,
    unit_amount_decimal: decimal(seed.unitAmount),
  };
}

/** The legacy `plan` that Stripe still puts beside `price` on subscription items. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring;
  if (!recurring) throw new Error(`Price ${price.id} is not recurring`);
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: price.nickname,
    product: typeof price.product === 'string' ? price.product : price.product.id,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

export function productIdOf(price: Stripe.Price): string {
  return typeof price.product === 'string' ? price.product : price.product.id;
}

export function unitAmountOf(price: Stripe.Price): number {
  return price.unit_amount ?? 0;
}
