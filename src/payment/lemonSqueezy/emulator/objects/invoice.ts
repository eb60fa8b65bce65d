import { lastFour } from '../cards.js';
import { isoTime } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import type { InvoiceRecord, SubscriptionRecord, VariantRecord } from '../store.js';
import type { LsSubscriptionInvoiceAttributes, LsSubscriptionInvoiceData } from '../types.js';
import { relationships, selfLink } from './links.js';

type Status = LsSubscriptionInvoiceAttributes['status'];

const STATUS_FORMATTED: Record<Status, string> = {
  pending: 'Pending',
  paid: 'Paid',
  void: 'Void',
  refunded: 'Refunded',
  partial_refund: 'Partial refund',
};

export function setInvoiceStatus(ctx: EmulatorContext, invoice: InvoiceRecord, status: Status): void {
  invoice.attributes.status = status;
  invoice.attributes.status_formatted = STATUS_FORMATTED[status];
  invoice.attributes.urls.invoice_url = status === 'pending' ? null : `${ctx.baseUrl()}/subscription-invoices/${invoice.id}/invoice`;
  invoice.attributes.updated_at = isoTime(ctx.clock.nowSec());
}

/** A pending invoice for the subscription's current variant; `setInvoiceStatus` settles it. */
export function newInvoice(ctx: EmulatorContext, sub: SubscriptionRecord, variant: VariantRecord, reason: 'initial' | 'renewal'): InvoiceRecord {
  const now = isoTime(ctx.clock.nowSec());
  const total = variant.price;
  const money = (amount: number) => formatAmount(amount, variant.currency);
  return {
    id: ctx.store.nextId('invoice'),
    customData: sub.customData,
    attributes: {
      store_id: ctx.store.store.id,
      subscription_id: sub.id,
      customer_id: sub.attributes.customer_id,
      user_name: sub.attributes.user_name,
      user_email: sub.attributes.user_email,
      billing_reason: reason,
      card_brand: sub.card.brand,
      card_last_four: lastFour(sub.card),
      currency: variant.currency,
      currency_rate: '1.0000',
      payment_processor: 'stripe',
      status: 'pending',
      status_formatted: 'Pending',
      refunded: false,
      refunded_at: null,
      subtotal: total,
      discount_total: 0,
      tax: 0,
      tax_inclusive: false,
      total,
      refunded_amount: 0,
      refunded_amount_usd: 0,
      refunded_amount_formatted: money(0),
      subtotal_usd: total,
      discount_total_usd: 0,
      tax_usd: 0,
      total_usd: total,
      subtotal_formatted: money(total),
      discount_total_formatted: money(0),
      tax_formatted: money(0),
      total_formatted: money(total),
      urls: { invoice_url: null },
      created_at: now,
      updated_at: now,
      test_mode: true,
    },
  };
}

export function invoiceView(ctx: EmulatorContext, invoice: InvoiceRecord): LsSubscriptionInvoiceData {
  return {
    type: 'subscription-invoices',
    id: String(invoice.id),
    attributes: structuredClone(invoice.attributes),
    relationships: relationships(ctx, 'subscription-invoices', invoice.id, ['store', 'subscription', 'customer'] as const),
    links: selfLink(ctx, 'subscription-invoices', invoice.id),
  };
}
