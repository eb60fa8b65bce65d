import { Router } from 'express';
import type Stripe from 'stripe';
import { idOf, productName } from '../refs.js';
import { isOpen } from '../checkoutFlow.js';
import type { EmulatorContext } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { newId } from '../ids.js';
import { createdFilter, listPage } from '../list.js';
import { newCheckoutRecord, newCheckoutSession } from '../objects/sessions.js';
import {
  applyMetadata,
  checkKeys,
  expandList,
  optArray,
  optBool,
  optEnum,
  optInt,
  optMetadata,
  optNonEmptyString,
  optObject,
  optString,
  optUrl,
  type Params,
} from '../params.js';
import type { CheckoutSessionRecord } from '../store.js';

const SUPPORTED = [
  'mode', 'customer', 'customer_email', 'line_items', 'client_reference_id', 'metadata', 'subscription_data',
  'payment_intent_data', 'invoice_creation', 'allow_promotion_codes', 'automatic_tax', 'success_url', 'cancel_url',
  'customer_creation', 'locale', 'ui_mode', 'payment_method_types', 'expires_at', 'expand',
];
/** Real parameters that only change what the page collects or shows: accepted and ignored. */
const IGNORED = [
  'billing_address_collection', 'customer_update', 'submit_type', 'phone_number_collection', 'tax_id_collection',
  'consent_collection', 'custom_text', 'adaptive_pricing', 'saved_payment_method_options', 'payment_method_collection',
  'payment_method_options', 'name_collection', 'wallet_options', 'branding_settings', 'origin_context',
];
const STRIPE_ONLY = [
  'after_expiration', 'allowed_payment_method_types', 'currency', 'custom_fields', 'customer_account', 'discounts',
  'excluded_payment_method_types', 'integration_identifier', 'managed_payments', 'optional_items',
  'payment_method_configuration', 'payment_method_data', 'permissions', 'redirect_on_completion', 'return_url',
  'setup_intent_data', 'shipping_address_collection', 'shipping_options',
];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseLineItem(ctx: EmulatorContext, params: Params): { price: Stripe.Price; quantity: number } {
  const items = optArray(params, 'line_items');
  if (!items || items.length === 0) throw parameterMissing('line_items', '`line_items` is required in `payment` and `subscription` mode.');
  if (items.length > 1) throw invalidRequest('The local Stripe emulator supports exactly one line item per Checkout Session.', { param: 'line_items' });
  const item = optObject({ item: items[0]! }, 'item', 'line_items[0]');
  if (!item) throw parameterMissing('line_items[0][price]');
  checkKeys(item, { supported: ['price', 'quantity'], ignored: ['metadata', 'tax_rates'], knownToStripe: ['adjustable_quantity', 'price_data', 'dynamic_tax_rates'] }, 'line_items[0]');
  const priceId = optNonEmptyString(item, 'price', 'line_items[0][price]');
  if (!priceId) throw parameterMissing('line_items[0][price]');
  const price = ctx.store.price(priceId, 'line_items[0][price]');
  if (!price.active) throw invalidRequest(`The price specified (${price.id}) is inactive. This field only accepts active prices.`, { param: 'line_items[0][price]' });
  const quantity = optInt(item, 'quantity', 'line_items[0][quantity]', { min: 1, max: 999_999 });
  if (quantity === undefined) throw parameterMissing('line_items[0][quantity]', 'Quantity is required. Add `quantity` to `line_items[0]`.');
  return { price, quantity };
}

function onlyInMode(params: Params, key: string, mode: string, actual: string): void {
  if (params[key] !== undefined && actual !== mode) {
    throw invalidRequest(`You can only specify \`${key}\` in \`${mode}\` mode.`, { param: key });
  }
}

export function checkoutRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post('/v1/checkout/sessions', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, { supported: SUPPORTED, ignored: IGNORED, knownToStripe: STRIPE_ONLY });
    const mode = optEnum(params, 'mode', ['payment', 'setup', 'subscription'] as const);
    if (!mode) throw parameterMissing('mode');
    if (mode === 'setup') throw invalidRequest('The local Stripe emulator does not support `setup` mode.', { param: 'mode' });
    const uiMode = optString(params, 'ui_mode');
    if (uiMode !== undefined && uiMode !== 'hosted_page') {
      throw invalidRequest(`The local Stripe emulator only supports ui_mode \`hosted_page\`, got \`${uiMode}\`.`, { param: 'ui_mode' });
    }
    const methods = optArray(params, 'payment_method_types');
    if (methods && methods.some((m) => m !== 'card')) {
      throw invalidRequest('The local Stripe emulator only supports the `card` payment method type.', { param: 'payment_method_types' });
    }

    const customerId = optNonEmptyString(params, 'customer');
    const customerEmail = optNonEmptyString(params, 'customer_email');
    if (customerId && customerEmail) {
      throw invalidRequest('You may only specify one of these parameters: customer, customer_email.', { code: 'parameters_exclusive', param: 'customer_email' });
    }
    if (customerId) ctx.store.customer(customerId, 'customer');
    if (customerEmail && !EMAIL.test(customerEmail)) throw invalidRequest(`Invalid email address: ${customerEmail}`, { code: 'email_invalid', param: 'customer_email' });

    const { price, quantity } = parseLineItem(ctx, params);
    if (mode === 'payment' && price.recurring) {
      throw invalidRequest('You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.', { param: 'line_items[0][price]' });
    }
    if (mode === 'subscription' && !price.recurring) {
      throw invalidRequest('You must provide at least one recurring price in `subscription` mode when using prices.', { param: 'line_items[0][price]' });
    }

    onlyInMode(params, 'subscription_data', 'subscription', mode);
    onlyInMode(params, 'payment_intent_data', 'payment', mode);
    onlyInMode(params, 'invoice_creation', 'payment', mode);
    onlyInMode(params, 'customer_creation', 'payment', mode);

    const subscriptionData = optObject(params, 'subscription_data') ?? {};
    checkKeys(subscriptionData, {
      supported: ['metadata', 'trial_period_days', 'description'],
      ignored: ['trial_settings', 'billing_mode', 'proration_behavior'],
      knownToStripe: ['application_fee_percent', 'billing_cycle_anchor', 'billing_cycle_anchor_config', 'default_tax_rates', 'invoice_settings', 'on_behalf_of', 'pending_invoice_item_interval', 'transfer_data', 'trial_end'],
    }, 'subscription_data');
    const paymentIntentData = optObject(params, 'payment_intent_data') ?? {};
    checkKeys(paymentIntentData, {
      supported: ['metadata', 'description', 'receipt_email'],
      ignored: ['setup_future_usage', 'statement_descriptor', 'statement_descriptor_suffix'],
      knownToStripe: ['application_fee_amount', 'capture_method', 'on_behalf_of', 'shipping', 'transfer_data', 'transfer_group'],
    }, 'payment_intent_data');
    const invoiceCreation = optObject(params, 'invoice_creation');
    let invoiceEnabled = false;
    let invoiceData: Params = {};
    if (invoiceCreation) {
      checkKeys(invoiceCreation, { supported: ['enabled', 'invoice_data'] }, 'invoice_creation');
      const enabled = optBool(invoiceCreation, 'enabled', 'invoice_creation[enabled]');
      if (enabled === undefined) throw parameterMissing('invoice_creation[enabled]');
      invoiceEnabled = enabled;
      invoiceData = optObject(invoiceCreation, 'invoice_data', 'invoice_creation[invoice_data]') ?? {};
      checkKeys(invoiceData, {
        supported: ['metadata', 'description'],
        ignored: ['account_tax_ids', 'custom_fields', 'footer', 'issuer', 'rendering_options'],
      }, 'invoice_creation[invoice_data]');
    }
    const automaticTax = optObject(params, 'automatic_tax');
    let automaticTaxEnabled = false;
    if (automaticTax) {
      checkKeys(automaticTax, { supported: ['enabled'], ignored: ['liability'] }, 'automatic_tax');
      const enabled = optBool(automaticTax, 'enabled', 'automatic_tax[enabled]');
      if (enabled === undefined) throw parameterMissing('automatic_tax[enabled]');
      automaticTaxEnabled = enabled;
    }
    const now = ctx.clock.nowSec();
    const expiresAt = optInt(params, 'expires_at', 'expires_at', { min: now + 30 * 60, max: now + 24 * 60 * 60 });
    const clientReferenceId = optNonEmptyString(params, 'client_reference_id');
    if (clientReferenceId && clientReferenceId.length > 200) {
      throw invalidRequest('client_reference_id can have up to 200 characters.', { param: 'client_reference_id' });
    }
    const receiptEmail = optNonEmptyString(paymentIntentData, 'receipt_email', 'payment_intent_data[receipt_email]') ?? null;

    const id = newId('cs_test');
    const session = newCheckoutSession(
      {
        id,
        url: `${ctx.baseUrl()}/checkout/${id}`,
        mode,
        customer: customerId ?? null,
        customerEmail: customerEmail ?? null,
        clientReferenceId: clientReferenceId ?? null,
        metadata: applyMetadata({}, optMetadata(params)),
        amount: (price.unit_amount ?? 0) * quantity,
        currency: price.currency,
        successUrl: optUrl(params, 'success_url') ?? null,
        cancelUrl: optUrl(params, 'cancel_url') ?? null,
        allowPromotionCodes: optBool(params, 'allow_promotion_codes') ?? null,
        automaticTax: automaticTaxEnabled,
        invoiceCreation:
          mode === 'payment'
            ? {
                enabled: invoiceEnabled,
                invoice_data: {
                  account_tax_ids: null,
                  custom_fields: null,
                  description: optString(invoiceData, 'description', 'invoice_creation[invoice_data][description]') ?? null,
                  footer: null,
                  issuer: null,
                  metadata: applyMetadata({}, optMetadata(invoiceData, 'metadata', 'invoice_creation[invoice_data][metadata]')),
                  rendering_options: null,
                },
              }
            : null,
        customerCreation: mode === 'payment' ? (optEnum(params, 'customer_creation', ['always', 'if_required'] as const) ?? 'if_required') : null,
        locale: optString(params, 'locale') ?? null,
      },
      now,
    );
    if (expiresAt !== undefined) session.expires_at = expiresAt;
    const trialPeriodDays = optInt(subscriptionData, 'trial_period_days', 'subscription_data[trial_period_days]', { min: 1, max: 730 });
    const record = newCheckoutRecord(session, { price, quantity, productName: productName(ctx, price) }, {
      subscriptionData: {
        metadata: applyMetadata({}, optMetadata(subscriptionData, 'metadata', 'subscription_data[metadata]')),
        trialPeriodDays: trialPeriodDays ?? null,
        description: optString(subscriptionData, 'description', 'subscription_data[description]') ?? null,
      },
      paymentIntentData: {
        metadata: applyMetadata({}, optMetadata(paymentIntentData, 'metadata', 'payment_intent_data[metadata]')),
        description: optString(paymentIntentData, 'description', 'payment_intent_data[description]') ?? null,
        receiptEmail,
      },
      invoiceData: {
        metadata: session.invoice_creation?.invoice_data.metadata ?? {},
        description: session.invoice_creation?.invoice_data.description ?? null,
      },
    });
    ctx.store.checkoutSessions.set(id, record);
    res.json(sessionView(ctx, record, expandList(params)));
  });

  router.get('/v1/checkout/sessions', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['customer', 'payment_intent', 'subscription', 'status', 'created', 'limit', 'starting_after', 'ending_before', 'expand'],
      knownToStripe: ['customer_account', 'customer_details', 'payment_link'],
    });
    const customer = optString(params, 'customer');
    const paymentIntent = optString(params, 'payment_intent');
    const subscription = optString(params, 'subscription');
    const status = optEnum(params, 'status', ['open', 'complete', 'expired'] as const);
    const created = createdFilter(params);
    const sessions = [...ctx.store.checkoutSessions.values()]
      .map((r) => r.session)
      .filter(
        (s) =>
          (customer === undefined || idOf(s.customer) === customer) &&
          (paymentIntent === undefined || idOf(s.payment_intent) === paymentIntent) &&
          (subscription === undefined || idOf(s.subscription) === subscription) &&
          (status === undefined || s.status === status) &&
          created(s),
      );
    res.json(expandObject(ctx.store, listPage(sessions, params, '/v1/checkout/sessions'), expandList(params)));
  });

  router.get('/v1/checkout/sessions/:id', (req, res) => {
    const record = ctx.store.checkoutSession(req.params.id);
    isOpen(ctx, record);
    res.json(sessionView(ctx, record, expandList(paramsOf(res))));
  });

  return router;
}

/** The session as the API shows it; `expand[]=line_items` adds its line items, as Stripe does. */
function sessionView(ctx: EmulatorContext, record: CheckoutSessionRecord, expand: string[]): Stripe.Checkout.Session {
  const view: Stripe.Checkout.Session = { ...record.session };
  if (expand.some((p) => p === 'line_items' || p.startsWith('line_items.'))) {
    view.line_items = { object: 'list', data: record.lineItems, has_more: false, url: `/v1/checkout/sessions/${record.session.id}/line_items` };
  }
  return expandObject(ctx.store, view, expand);
}
