import { randomBytes, randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { STRIPE_API_VERSION } from '../stripeClient.js';
import { STRIPE_SIGNATURE_HEADER } from '../webhook/verifyStripeSignature.js';

// Complete Stripe objects for tests, typed as the SDK's own types (API 2026-10-28.endive), so the
// compiler holds every payload we map to the shape Stripe really sends. Each builder takes the
// fields a test cares about; the rest are Stripe's empty values.

export const TEST_PRICES = { hobby: 'price_test_hobby', pro: 'price_test_pro', credits10: 'price_test_credits10' } as const;
export const TEST_PLAN_ENV = {
  PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: TEST_PRICES.hobby,
  PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: TEST_PRICES.pro,
  PAYMENTS_CREDITS_10_PLAN_ID: TEST_PRICES.credits10,
};
// Random per run: no secret is written in the source.
export const TEST_WEBHOOK_SECRET = `whsec_test_${randomBytes(18).toString('hex')}`;

const uid = (prefix: string) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
export const nowSeconds = () => Math.floor(Date.now() / 1000);
const T0 = 1_793_000_000; // 2026-10-27

export function stripePrice(id: string, o: { recurring?: boolean; unitAmount?: number } = {}): Stripe.Price {
  return {
    id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: T0,
    currency: 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: `prod_for_${id}`,
    recurring: o.recurring === false ? null : { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: o.recurring === false ? 'one_time' : 'recurring',
    unit_amount: o.unitAmount ?? 2900,
    unit_amount_decimal: null,
  };
}

function stripePlan(price: Stripe.Price): Stripe.Plan {
  return {
    id: price.id,
    object: 'plan',
    active: true,
    amount: price.unit_amount,
    amount_decimal: null,
    billing_scheme: 'per_unit',
    created: price.created,
    currency: price.currency,
    interval: 'month',
    interval_count: 1,
    livemode: false,
    metadata: {},
    meter: null,
    nickname: null,
    product: price.product,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: 'licensed',
  };
}

function list<T>(data: T[], url: string): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: false, url };
}

export function stripeSubscriptionItem(subscriptionId: string, priceId: string, currentPeriodEnd: number): Stripe.SubscriptionItem {
  const price = stripePrice(priceId);
  return {
    id: uid('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: T0,
    current_period_end: currentPeriodEnd,
    current_period_start: currentPeriodEnd - 30 * 86_400,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: stripePlan(price),
    price,
    quantity: 1,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

export interface SubscriptionOptions {
  id?: string;
  customer?: string;
  priceId?: string;
  status?: Stripe.Subscription.Status;
  workspaceId?: string | null;
  planId?: string;
  currentPeriodEnd?: number;
  cancelAtPeriodEnd?: boolean;
  cancelAt?: number | null;
  trialEnd?: number | null;
  endedAt?: number | null;
}

export function stripeSubscription(o: SubscriptionOptions = {}): Stripe.Subscription {
  const id = o.id ?? uid('sub');
  const currentPeriodEnd = o.currentPeriodEnd ?? T0 + 30 * 86_400;
  const metadata: Stripe.Metadata = o.workspaceId ? { workspaceId: o.workspaceId, planId: o.planId ?? 'pro' } : {};
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: T0,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: o.cancelAt ?? null,
    cancel_at_period_end: o.cancelAtPeriodEnd ?? false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: T0,
    currency: 'usd',
    customer: o.customer ?? uid('cus'),
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: o.endedAt ?? null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: list([stripeSubscriptionItem(id, o.priceId ?? 'price_test_pro', currentPeriodEnd)], `/v1/subscription_items?subscription=${id}`),
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: T0,
    status: o.status ?? 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: o.trialEnd ?? null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  };
}

export function stripeInvoiceLine(invoiceId: string, priceId: string, amount: number, subscriptionId: string | null): Stripe.InvoiceLineItem {
  return {
    id: uid('il'),
    object: 'line_item',
    amount,
    currency: 'usd',
    description: `1 × ${priceId}`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: subscriptionId
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: subscriptionId, subscription_item: uid('si') },
        }
      : { type: 'invoice_item_details', subscription_item_details: null, invoice_item_details: { invoice_item: uid('ii'), proration: false, proration_details: { credited_items: null }, subscription: null } },
    period: { start: T0, end: T0 + 30 * 86_400 },
    pretax_credit_amounts: [],
    pricing: { type: 'price_details', price_details: { price: priceId, product: `prod_for_${priceId}` }, unit_amount_decimal: null },
    quantity: 1,
    quantity_decimal: null,
    subscription: subscriptionId,
    subtotal: amount,
    taxes: [],
  };
}

export interface InvoiceOptions {
  id?: string;
  customer?: string | null;
  priceId?: string;
  amount?: number;
  amountPaid?: number;
  currency?: string;
  status?: Stripe.Invoice.Status;
  /** A subscription invoice (parent.subscription_details) when set; a one-off invoice otherwise. */
  subscription?: { id: string; workspaceId?: string; planId?: string } | null;
  /** The invoice's own metadata (checkout copies invoice_creation.invoice_data.metadata here). */
  metadata?: Stripe.Metadata;
  paidAt?: number | null;
  lastFinalizationError?: Stripe.Invoice.LastFinalizationError | null;
  billingReason?: Stripe.Invoice.BillingReason;
}

export function stripeInvoice(o: InvoiceOptions = {}): Stripe.Invoice {
  const id = o.id ?? uid('in');
  const amount = o.amount ?? 2900;
  const paid = o.status === undefined || o.status === 'paid';
  const amountPaid = o.amountPaid ?? (paid ? amount : 0);
  const subscription = o.subscription ?? null;
  const subscriptionMetadata: Stripe.Metadata = subscription?.workspaceId ? { workspaceId: subscription.workspaceId, planId: subscription.planId ?? 'pro' } : {};
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Test account',
    account_tax_ids: null,
    amount_due: amount,
    amount_overpaid: 0,
    amount_paid: amountPaid,
    amount_remaining: amount - amountPaid,
    amount_shipping: 0,
    application: null,
    attempt_count: 1,
    attempted: true,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: o.billingReason ?? (subscription ? 'subscription_cycle' : 'manual'),
    collection_method: 'charge_automatically',
    created: T0,
    currency: o.currency ?? 'usd',
    custom_fields: null,
    customer: o.customer === undefined ? uid('cus') : o.customer,
    customer_account: null,
    customer_address: null,
    customer_email: 'owner@example.com',
    customer_name: null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: T0,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    issuer: { type: 'self' },
    last_finalization_error: o.lastFinalizationError ?? null,
    latest_revision: null,
    lines: list([stripeInvoiceLine(id, o.priceId ?? 'price_test_pro', amount, subscription?.id ?? null)], `/v1/invoices/${id}/lines`),
    livemode: false,
    metadata: o.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: subscription
      ? { type: 'subscription_details', quote_details: null, subscription_details: { subscription: subscription.id, metadata: subscriptionMetadata } }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: T0,
    period_start: T0 - 30 * 86_400,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: o.status ?? 'paid',
    status_transitions: { finalized_at: T0, marked_uncollectible_at: null, paid_at: paid ? (o.paidAt === undefined ? T0 : o.paidAt) : null, voided_at: null },
    subtotal: amount,
    subtotal_excluding_tax: amount,
    test_clock: null,
    total: amount,
    total_discount_amounts: [],
    total_excluding_tax: amount,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export interface CheckoutSessionOptions {
  id?: string;
  mode: Stripe.Checkout.Session.Mode;
  customer?: string | null;
  workspaceId?: string | null;
  planId?: string;
  paymentStatus?: Stripe.Checkout.Session.PaymentStatus;
  amountTotal?: number | null;
  currency?: string | null;
  subscription?: string | null;
  invoice?: string | null;
  paymentIntent?: string | null;
  /** Include our metadata (as sessions this plugin creates do); false: a session from elsewhere. */
  ours?: boolean;
}

export function stripeCheckoutSession(o: CheckoutSessionOptions): Stripe.Checkout.Session {
  const workspaceId = o.workspaceId === undefined ? uid('ws') : o.workspaceId;
  const planId = o.planId ?? (o.mode === 'payment' ? 'credits10' : 'pro');
  const metadata: Stripe.Metadata = o.ours === false ? {} : { ...(workspaceId && { workspaceId }), planId };
  const payment = o.mode === 'payment';
  return {
    id: o.id ?? uid('cs_test'),
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: true,
    allowed_payment_method_types: null,
    amount_subtotal: o.amountTotal === undefined ? (payment ? 990 : 2900) : o.amountTotal,
    amount_total: o.amountTotal === undefined ? (payment ? 990 : 2900) : o.amountTotal,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: 'http://localhost:3001/checkout?status=canceled',
    client_reference_id: o.ours === false ? null : workspaceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: T0,
    currency: o.currency === undefined ? 'usd' : o.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: o.customer === undefined ? uid('cus') : o.customer,
    customer_account: null,
    customer_creation: null,
    customer_details: null,
    customer_email: null,
    discounts: [],
    expires_at: T0 + 86_400,
    integration_identifier: null,
    invoice: o.invoice === undefined ? (payment ? uid('in') : null) : o.invoice,
    invoice_creation: payment ? { enabled: true, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata, rendering_options: null } } : null,
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata,
    mode: o.mode,
    origin_context: null,
    payment_intent: o.paymentIntent === undefined ? (payment ? uid('pi') : null) : o.paymentIntent,
    payment_link: null,
    payment_method_collection: 'always',
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_status: o.paymentStatus ?? 'paid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'complete',
    submit_type: null,
    subscription: o.subscription === undefined ? (payment ? null : uid('sub')) : o.subscription,
    success_url: 'http://localhost:3001/checkout?status=success&session_id={CHECKOUT_SESSION_ID}',
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: null,
    wallet_options: null,
  };
}

export interface ChargeOptions {
  id?: string;
  customer?: string | null;
  paymentIntent?: string | null;
  amount?: number;
  amountRefunded?: number;
  currency?: string;
  metadata?: Stripe.Metadata;
}

export function stripeCharge(o: ChargeOptions = {}): Stripe.Charge {
  const amount = o.amount ?? 990;
  const amountRefunded = o.amountRefunded ?? amount;
  return {
    id: o.id ?? uid('ch'),
    object: 'charge',
    amount,
    amount_captured: amount,
    amount_refunded: amountRefunded,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: uid('txn'),
    billing_details: { address: null, email: 'owner@example.com', name: null, phone: null, tax_id: null },
    calculated_statement_descriptor: 'TEST',
    captured: true,
    created: T0,
    currency: o.currency ?? 'usd',
    customer: o.customer === undefined ? uid('cus') : o.customer,
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    fraud_details: {},
    livemode: false,
    metadata: o.metadata ?? {},
    on_behalf_of: null,
    outcome: null,
    paid: true,
    payment_intent: o.paymentIntent === undefined ? uid('pi') : o.paymentIntent,
    payment_method: uid('pm'),
    payment_method_details: null,
    receipt_email: null,
    receipt_number: null,
    receipt_url: null,
    refunded: amountRefunded >= amount,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

type EventOf<T extends Stripe.Event.Type> = Extract<Stripe.Event, { type: T }>;

/** A webhook event as Stripe sends it; `created` (seconds) is the processor time the mapping uses. */
export function stripeEvent<T extends Stripe.Event.Type>(type: T, object: EventOf<T>['data']['object'], o: { id?: string; created?: number } = {}): EventOf<T> {
  const event = {
    id: o.id ?? uid('evt'),
    object: 'event',
    api_version: STRIPE_API_VERSION,
    created: o.created ?? nowSeconds(),
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } satisfies Stripe.EventBase & { type: T };
  return event as EventOf<T>;
}

/** The body and stripe-signature header of a delivery, signed as Stripe signs them. */
export function signStripeDelivery(
  event: unknown,
  o: { secret?: string; timestamp?: number; body?: string } = {},
): { body: string; headers: Record<string, string> } {
  const body = o.body ?? JSON.stringify(event, null, 2);
  const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret: o.secret ?? TEST_WEBHOOK_SECRET, ...(o.timestamp !== undefined && { timestamp: o.timestamp }) });
  return { body, headers: { 'content-type': 'application/json', [STRIPE_SIGNATURE_HEADER]: header } };
}
