import type Stripe from 'stripe';
import type { EmulatorContext } from './context.js';
import { productIdOf } from './objects/catalog.js';

/** The id of an expandable field (`string | { id }`). */
export function idOf(value: string | { id: string } | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.id;
}

/** The product name behind a price, for descriptions and pages. */
export function productName(ctx: EmulatorContext, price: Stripe.Price): string {
  return ctx.store.products.get(productIdOf(price))?.name ?? price.nickname ?? price.id;
}
