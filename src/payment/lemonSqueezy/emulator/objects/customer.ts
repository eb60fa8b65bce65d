import type { TestCard } from '../cards.js';
import { isoTime } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import { portalUrl } from '../portalUrls.js';
import type { CustomerRecord } from '../store.js';
import type { LsCustomerData } from '../types.js';
import { relationships, selfLink } from './links.js';

export function newCustomer(ctx: EmulatorContext, details: { email: string; name: string; card: TestCard }): CustomerRecord {
  const now = isoTime(ctx.clock.nowSec());
  const currency = ctx.store.store.currency;
  return {
    id: ctx.store.nextId('customer'),
    card: details.card,
    attributes: {
      store_id: ctx.store.store.id,
      name: details.name,
      email: details.email,
      status: 'subscribed',
      city: null,
      region: null,
      country: null,
      total_revenue_currency: 0,
      mrr: 0,
      status_formatted: 'Subscribed',
      country_formatted: null,
      total_revenue_currency_formatted: formatAmount(0, currency),
      mrr_formatted: formatAmount(0, currency),
      urls: { customer_portal: null },
      created_at: now,
      updated_at: now,
      test_mode: true,
    },
  };
}

/**
 * The customer as the API shows it now: a freshly signed portal URL (null until the customer has bought a
 * subscription, as in LS), revenue from their orders, MRR from their live subscriptions.
 */
export function customerView(ctx: EmulatorContext, customer: CustomerRecord): LsCustomerData {
  const currency = ctx.store.store.currency;
  let revenue = 0;
  for (const order of ctx.store.orders.values()) {
    if (order.attributes.customer_id === customer.id) revenue += order.attributes.total - order.attributes.refunded_amount;
  }
  const subscriptions = ctx.store.subscriptionsOf(customer.id);
  let mrr = 0;
  for (const sub of subscriptions) {
    if (sub.attributes.status !== 'active' && sub.attributes.status !== 'past_due') continue;
    const variant = ctx.store.variants.get(sub.attributes.variant_id);
    if (variant) mrr += sub.interval === 'year' ? Math.round(variant.price / 12) : variant.price;
  }
  return {
    type: 'customers',
    id: String(customer.id),
    attributes: {
      ...customer.attributes,
      total_revenue_currency: revenue,
      total_revenue_currency_formatted: formatAmount(revenue, currency),
      mrr,
      mrr_formatted: formatAmount(mrr, currency),
      urls: { customer_portal: subscriptions.length > 0 ? portalUrl(ctx, customer.id) : null },
    },
    relationships: relationships(ctx, 'customers', customer.id, ['store', 'orders', 'subscriptions', 'license-keys'] as const),
    links: selfLink(ctx, 'customers', customer.id),
  };
}
