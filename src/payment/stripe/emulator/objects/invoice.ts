import type Stripe from 'stripe';
import { newId } from '../ids.js';
import { formatAmount } from '../money.js';
import { productIdOf } from './catalog.js';
import { decimal } from './decimal.js';

export interface InvoiceLineSpec {
  amount: number;
  description: string;
  price: Stripe.Price;
  quantity: number;
  period: { start: number; end: number };
  proration: boolean;
  /** Set for subscription lines; one-time (Checkout `invoice_creation`) lines are invoice items. */
  subscription: { id: string; itemId: string } | null;
}

export function lineDescription(price: Stripe.Price, productName: string, quantity: number): string {
  const amount = formatAmount(price.unit_amount ?? 0, price.currency);
  return price.recurring ? `${quantity} × ${productName} (at ${amount} / ${price.recurring.interval})` : `${quantity} × ${productName}`;
}

function newLine(spec: InvoiceLineSpec, invoiceId: string, currency: string): Stripe.InvoiceLineItem {
  return {
    id: newId('il'),
    object: 'line_item',
    amount: spec.amount,
    currency,
    description: spec.description,
    discount_amounts: [],
    discountable: !spec.proration,
    discounts: [],
    invoice: invoiceId,
    livemode: false,
    metadata: {},
    parent: spec.subscription
      ? {
          type: 'subscription_item_details',
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: spec.proration ? newId('ii') : null,
            proration: spec.proration,
            proration_details: { credited_items: null },
            subscription: spec.subscription.id,
            subscription_item: spec.subscription.itemId,
          },
        }
      : {
          type: 'invoice_item_details',
          invoice_item_details: { invoice_item: newId('ii'), proration: false, proration_details: { credited_items: null }, subscription: null },
          subscription_item_details: null,
        },
    period: spec.period,
    pretax_credit_amounts: [],
    pricing: {
      type: 'price_details',
      price_details: { price: spec.price.id, product: productIdOf(spec.price) },
      unit_amount_decimal: spec.price.unit_amount_decimal,
    },
    quantity: spec.quantity,
    quantity_decimal: decimal(spec.quantity),
    subscription: spec.subscription?.id ?? null,
    subtotal: spec.amount,
    taxes: [],
  };
}

/** A draft invoice; the billing code finalizes it (number, `open`) and marks it paid or failed. */
export function newInvoice(
  fields: {
    customer: Stripe.Customer;
    currency: string;
    billingReason: Stripe.Invoice.BillingReason;
    subscription: { id: string; metadata: Stripe.Metadata } | null;
    lines: InvoiceLineSpec[];
    periodStart: number;
    periodEnd: number;
    metadata: Stripe.Metadata;
    description: string | null;
    automaticTax: boolean;
  },
  created: number,
): Stripe.Invoice {
  const id = newId('in');
  const total = fields.lines.reduce((sum, l) => sum + l.amount, 0);
  const amountDue = Math.max(total, 0);
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Stripe Emulator',
    account_tax_ids: null,
    amount_due: amountDue,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: amountDue,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    automatic_tax: {
      disabled_reason: null,
      enabled: fields.automaticTax,
      liability: fields.automaticTax ? { type: 'self' } : null,
      provider: fields.automaticTax ? 'stripe' : null,
      status: fields.automaticTax ? 'complete' : null,
    },
    automatically_finalizes_at: null,
    billing_reason: fields.billingReason,
    collection_method: 'charge_automatically',
    created,
    currency: fields.currency,
    custom_fields: null,
    customer: fields.customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: fields.customer.email,
    customer_name: fields.customer.name ?? null,
    customer_phone: fields.customer.phone ?? null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: fields.description,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: {
      object: 'list',
      data: fields.lines.map((l) => newLine(l, id, fields.currency)),
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: fields.metadata,
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: fields.subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: { metadata: fields.subscription.metadata, subscription: fields.subscription.id },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: fields.periodEnd,
    period_start: fields.periodStart,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: total,
    subtotal_excluding_tax: total,
    test_clock: null,
    total,
    total_discount_amounts: [],
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export function newInvoicePayment(invoice: Stripe.Invoice, paymentIntent: string, created: number): Stripe.InvoicePayment {
  return {
    id: newId('inpay'),
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: false,
    payment: { type: 'payment_intent', payment_intent: paymentIntent },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
}
