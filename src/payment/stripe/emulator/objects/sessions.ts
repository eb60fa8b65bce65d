import type Stripe from 'stripe';
import { newId } from '../ids.js';
import type { CheckoutSessionRecord } from '../store.js';

export function newCheckoutSession(
  fields: {
    id: string;
    url: string;
    mode: 'payment' | 'subscription';
    customer: string | null;
    customerEmail: string | null;
    clientReferenceId: string | null;
    metadata: Stripe.Metadata;
    amount: number;
    currency: string;
    successUrl: string | null;
    cancelUrl: string | null;
    allowPromotionCodes: boolean | null;
    automaticTax: boolean;
    invoiceCreation: Stripe.Checkout.Session.InvoiceCreation | null;
    customerCreation: Stripe.Checkout.Session.CustomerCreation | null;
    locale: Stripe.Checkout.Session.Locale | null;
  },
  created: number,
): Stripe.Checkout.Session {
  return {
    id: fields.id,
    object: 'checkout.session',
    adaptive_pricing: null,
    after_expiration: null,
    allow_promotion_codes: fields.allowPromotionCodes,
    allowed_payment_method_types: null,
    amount_subtotal: fields.amount,
    amount_total: fields.amount,
    automatic_tax: {
      enabled: fields.automaticTax,
      liability: fields.automaticTax ? { type: 'self' } : null,
      provider: fields.automaticTax ? 'stripe' : null,
      status: fields.automaticTax ? 'requires_location_inputs' : null,
    },
    billing_address_collection: null,
    cancel_url: fields.cancelUrl,
    client_reference_id: fields.clientReferenceId,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created,
    currency: fields.currency,
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: fields.customer,
    customer_account: null,
    customer_creation: fields.customerCreation,
    customer_details: null,
    customer_email: fields.customerEmail,
    discounts: [],
    expires_at: created + 24 * 60 * 60,
    integration_identifier: null,
    invoice: null,
    invoice_creation: fields.invoiceCreation,
    livemode: false,
    locale: fields.locale,
    managed_payments: null,
    metadata: fields.metadata,
    mode: fields.mode,
    origin_context: null,
    payment_intent: null,
    payment_link: null,
    payment_method_collection: fields.mode === 'subscription' ? 'always' : null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: 'unpaid',
    permissions: null,
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: 'open',
    submit_type: null,
    subscription: null,
    success_url: fields.successUrl,
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted_page',
    url: fields.url,
    wallet_options: null,
  };
}

export function newCheckoutLineItem(price: Stripe.Price, quantity: number, description: string): Stripe.LineItem {
  const amount = (price.unit_amount ?? 0) * quantity;
  return {
    id: newId('li'),
    object: 'item',
    adjustable_quantity: null,
    amount_discount: 0,
    amount_subtotal: amount,
    amount_tax: 0,
    amount_total: amount,
    currency: price.currency,
    description,
    metadata: {},
    price,
    quantity,
  };
}

/** What Checkout keeps of a new session: its one line, and what it passes on (nothing, unless given). */
export function newCheckoutRecord(
  session: Stripe.Checkout.Session,
  line: { price: Stripe.Price; quantity: number; productName: string },
  passOn: Partial<Pick<CheckoutSessionRecord, 'subscriptionData' | 'paymentIntentData' | 'invoiceData'>> = {},
): CheckoutSessionRecord {
  return {
    session,
    price: line.price,
    quantity: line.quantity,
    lineItems: [newCheckoutLineItem(line.price, line.quantity, line.productName)],
    subscriptionData: passOn.subscriptionData ?? { metadata: {}, trialPeriodDays: null, description: null },
    paymentIntentData: passOn.paymentIntentData ?? { metadata: {}, description: null, receiptEmail: null },
    invoiceData: passOn.invoiceData ?? { metadata: {}, description: null },
  };
}

export function newPortalSession(
  fields: { id: string; url: string; customer: string; returnUrl: string | null; locale: Stripe.BillingPortal.Session.Locale | null },
  created: number,
): Stripe.BillingPortal.Session {
  return {
    id: fields.id,
    object: 'billing_portal.session',
    configuration: 'bpc_emulator_default',
    created,
    customer: fields.customer,
    customer_account: null,
    flow: null,
    livemode: false,
    locale: fields.locale,
    on_behalf_of: null,
    return_url: fields.returnUrl,
    url: fields.url,
  };
}
