import { randomUUID } from 'node:crypto';
import { completeCheckout } from './checkoutFlow.js';
import { isoTime } from './clock.js';
import type { EmulatorContext } from './context.js';
import { newCheckout } from './objects/checkout.js';
import { parseId, type VariantRecord } from './store.js';
import type { ForeignTraffic } from '../../../emulators/shared/foreignTraffic.js';

/**
 * Lemon Squeezy's foreign traffic (../shared/foreignTraffic.ts): `other-product` and `other-customer` are an
 * order, subscription and invoice of another product of the store; `unknown-event` is `affiliate_activated`.
 * Real objects of the store: the API reads them back like any other.
 */
const OTHER_PRODUCT = 'Another product of the store';

export function sendForeignTraffic(ctx: EmulatorContext, traffic: ForeignTraffic): void {
  if (traffic.kind === 'unknown-event') {
    const now = isoTime(ctx.clock.nowSec());
    const id = String(Math.floor(Math.random() * 1e6) + 1);
    ctx.events.emit('affiliate_activated', { type: 'affiliates', id, attributes: { store_id: ctx.store.store.id, user_email: 'affiliate@example.com', status: 'active', created_at: now, updated_at: now } }, undefined);
    return;
  }
  const email = traffic.kind === 'other-customer' ? `someone-else-${randomUUID().slice(0, 8)}@example.com` : customerOf(ctx, traffic.customerId).attributes.email;
  const checkout = newCheckout(ctx, { variant: otherProduct(ctx), productOptions: {}, checkoutOptions: {}, checkoutData: { email }, custom: undefined, preview: false, expiresAt: null });
  ctx.store.checkouts.set(checkout.id, checkout);
  completeCheckout(ctx, checkout);
}

function customerOf(ctx: EmulatorContext, customerId: string | undefined) {
  const customers = [...ctx.store.customers.values()];
  const id = customerId === undefined ? null : parseId(customerId);
  const customer = customerId === undefined ? customers.at(-1) : id === null ? undefined : ctx.store.customers.get(id);
  if (!customer) throw new Error(customerId === undefined ? 'No customer yet: buy something first' : `No such customer: ${customerId}`);
  return customer;
}

/** A monthly subscription variant no plan of the app uses, added to the catalog the first time. */
function otherProduct(ctx: EmulatorContext): VariantRecord {
  const existing = [...ctx.store.variants.values()].find((variant) => variant.productName === OTHER_PRODUCT);
  if (existing) return existing;
  const id = Math.max(0, ...ctx.store.variants.keys()) + 1;
  const variant: VariantRecord = { id, productId: ctx.store.nextId('product'), priceId: ctx.store.nextId('price'), productName: OTHER_PRODUCT, price: 4900, currency: ctx.store.store.currency, interval: 'month', trialDays: 0, createdAt: ctx.clock.nowSec() };
  ctx.store.variants.set(id, variant);
  return variant;
}
