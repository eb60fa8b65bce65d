import { lastFour, type TestCard } from '../cards.js';
import { addInterval, isoTime, SECONDS_PER_DAY } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import { portalUrl } from '../portalUrls.js';
import type { CustomerRecord, OrderRecord, SubscriptionRecord, VariantRecord } from '../store.js';
import type { LsSubscriptionAttributes, LsSubscriptionData } from '../types.js';
import { relationships, selfLink } from './links.js';

type Status = LsSubscriptionAttributes['status'];

const STATUS_FORMATTED: Partial<Record<Status, string>> = {
  on_trial: 'On Trial',
  active: 'Active',
  paused: 'Paused',
  past_due: 'Past due',
  unpaid: 'Unpaid',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

/** Sets `status`, `status_formatted` and `updated_at`. */
export function setStatus(ctx: EmulatorContext, sub: SubscriptionRecord, status: Status): void {
  sub.attributes.status = status;
  sub.attributes.status_formatted = STATUS_FORMATTED[status] ?? status;
  touch(ctx, sub);
}

export function touch(ctx: EmulatorContext, sub: SubscriptionRecord): void {
  sub.attributes.updated_at = isoTime(ctx.clock.nowSec());
}

export function setCard(ctx: EmulatorContext, sub: SubscriptionRecord, card: TestCard): void {
  sub.card = card;
  sub.attributes.card_brand = card.brand;
  sub.attributes.card_last_four = lastFour(card);
  touch(ctx, sub);
}

/** `trial`: on_trial until the variant's trial ends, which is when the first charge (a renewal) comes. */
export function newSubscription(
  ctx: EmulatorContext,
  customer: CustomerRecord,
  variant: VariantRecord & { interval: 'month' | 'year' },
  order: OrderRecord,
  card: TestCard,
  options: { trial: boolean },
): SubscriptionRecord {
  const id = ctx.store.nextId('subscription');
  const nowSec = ctx.clock.nowSec();
  const now = isoTime(nowSec);
  const trialEnd = options.trial ? nowSec + variant.trialDays * SECONDS_PER_DAY : null;
  const anchorDay = new Date((trialEnd ?? nowSec) * 1000).getUTCDate();
  const periodEnd = trialEnd ?? addInterval(nowSec, variant.interval, anchorDay);
  return {
    id,
    customData: order.customData,
    card,
    interval: variant.interval,
    anchorDay,
    periodEnd,
    openInvoiceId: null,
    failedAttempts: 0,
    attributes: {
      store_id: ctx.store.store.id,
      customer_id: customer.id,
      order_id: order.id,
      order_item_id: order.attributes.first_order_item.id,
      product_id: variant.productId,
      variant_id: variant.id,
      product_name: variant.productName,
      variant_name: 'Default',
      user_name: customer.attributes.name,
      user_email: customer.attributes.email,
      status: trialEnd === null ? 'active' : 'on_trial',
      status_formatted: trialEnd === null ? 'Active' : 'On Trial',
      card_brand: card.brand,
      card_last_four: lastFour(card),
      payment_processor: 'stripe',
      pause: null,
      cancelled: false,
      trial_ends_at: trialEnd === null ? null : isoTime(trialEnd),
      billing_anchor: anchorDay,
      // Lemon Squeezy shows no subscription item until the trial ends (renew() adds it).
      first_subscription_item: trialEnd === null ? firstItem(ctx, id, variant.priceId) : null,
      urls: { update_payment_method: '', customer_portal: '', customer_portal_update_subscription: '' },
      renews_at: isoTime(periodEnd),
      ends_at: null,
      created_at: now,
      updated_at: now,
      test_mode: true,
    },
  };
}

export function firstItem(ctx: EmulatorContext, subscriptionId: number, priceId: number): NonNullable<LsSubscriptionAttributes['first_subscription_item']> {
  const now = isoTime(ctx.clock.nowSec());
  return { id: ctx.store.nextId('subscriptionItem'), subscription_id: subscriptionId, price_id: priceId, quantity: 1, is_usage_based: false, created_at: now, updated_at: now };
}

/** The subscription as the API shows it now, with freshly signed portal URLs. */
export function subscriptionView(ctx: EmulatorContext, sub: SubscriptionRecord): LsSubscriptionData {
  const portal = portalUrl(ctx, sub.attributes.customer_id);
  return {
    type: 'subscriptions',
    id: String(sub.id),
    attributes: {
      ...structuredClone(sub.attributes),
      urls: {
        update_payment_method: `${portal}#payment-method`,
        customer_portal: portal,
        customer_portal_update_subscription: `${portal}#subscription-${sub.id}`,
      },
    },
    relationships: relationships(ctx, 'subscriptions', sub.id, [
      'store',
      'customer',
      'order',
      'order-item',
      'product',
      'variant',
      'subscription-items',
      'subscription-invoices',
    ] as const),
    links: selfLink(ctx, 'subscriptions', sub.id),
  };
}
