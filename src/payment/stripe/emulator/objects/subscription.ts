import type Stripe from 'stripe';
import { newId } from '../ids.js';
import { planOf } from './catalog.js';

export function newSubscriptionItem(
  fields: { price: Stripe.Price; quantity: number; subscription: string; periodStart: number; periodEnd: number },
  created: number,
): Stripe.SubscriptionItem {
  return {
    id: newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created,
    current_period_end: fields.periodEnd,
    current_period_start: fields.periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planOf(fields.price),
    price: fields.price,
    quantity: fields.quantity,
    subscription: fields.subscription,
    tax_rates: [],
  };
}

export function newSubscription(
  fields: {
    customer: string;
    price: Stripe.Price;
    quantity: number;
    metadata: Stripe.Metadata;
    description: string | null;
    periodStart: number;
    periodEnd: number;
    trial: { start: number; end: number } | null;
    defaultPaymentMethod: string;
    automaticTax: boolean;
  },
  created: number,
): Stripe.Subscription {
  const id = newId('sub');
  const item = newSubscriptionItem(
    { price: fields.price, quantity: fields.quantity, subscription: id, periodStart: fields.periodStart, periodEnd: fields.periodEnd },
    created,
  );
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: fields.automaticTax, liability: fields.automaticTax ? { type: 'self' } : null },
    billing_cycle_anchor: fields.trial ? fields.trial.end : fields.periodStart,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: { proration_discounts: 'included' }, type: 'flexible', updated_at: created },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created,
    currency: fields.price.currency,
    customer: fields.customer,
    customer_account: null,
    days_until_due: null,
    default_payment_method: fields.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: [],
    description: fields.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: { object: 'list', data: [item], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: created,
    status: fields.trial ? 'trialing' : 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: fields.trial?.end ?? null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: fields.trial?.start ?? null,
  };
}

/** The emulator keeps one item per subscription (what Checkout creates from one line item). */
export function firstItem(subscription: Stripe.Subscription): Stripe.SubscriptionItem {
  const item = subscription.items.data[0];
  if (!item) throw new Error(`Subscription ${subscription.id} has no items`);
  return item;
}
