import { randomUUID } from 'node:crypto';
import { isoTime } from '../clock.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import type { CheckoutRecord, CustomerRecord, OrderRecord, VariantRecord } from '../store.js';
import type { LsOrderData } from '../types.js';
import { relationships, selfLink } from './links.js';

/** A paid order for one unit of `variant` (no tax, no discount, no setup fee); $0 when it starts a free trial. */
export function newOrder(ctx: EmulatorContext, customer: CustomerRecord, variant: VariantRecord, checkout: CheckoutRecord, options: { trial: boolean }): OrderRecord {
  const id = ctx.store.nextId('order');
  const now = isoTime(ctx.clock.nowSec());
  const total = options.trial ? 0 : variant.price;
  const money = (amount: number) => formatAmount(amount, variant.currency);
  return {
    id,
    checkoutId: checkout.id,
    customData: checkout.customData,
    attributes: {
      store_id: ctx.store.store.id,
      customer_id: customer.id,
      identifier: randomUUID(),
      order_number: ctx.store.nextOrderNumber(),
      user_name: customer.attributes.name,
      user_email: customer.attributes.email,
      currency: variant.currency,
      currency_rate: '1.0000',
      subtotal: total,
      setup_fee: 0,
      discount_total: 0,
      tax: 0,
      total,
      refunded_amount: 0,
      subtotal_usd: total,
      setup_fee_usd: 0,
      discount_total_usd: 0,
      tax_usd: 0,
      total_usd: total,
      refunded_amount_usd: 0,
      tax_name: null,
      tax_rate: '0.00',
      tax_inclusive: false,
      payment_processor: 'stripe',
      status: 'paid',
      status_formatted: 'Paid',
      refunded: false,
      refunded_at: null,
      subtotal_formatted: money(total),
      setup_fee_formatted: money(0),
      discount_total_formatted: money(0),
      tax_formatted: money(0),
      total_formatted: money(total),
      refunded_amount_formatted: money(0),
      first_order_item: {
        id: ctx.store.nextId('orderItem'),
        order_id: id,
        product_id: variant.productId,
        variant_id: variant.id,
        price_id: variant.priceId,
        quantity: 1,
        product_name: variant.productName,
        variant_name: 'Default',
        price: total,
        created_at: now,
        updated_at: now,
        test_mode: true,
      },
      urls: { receipt: `${ctx.baseUrl()}/checkout/${checkout.id}/orders/${id}` },
      created_at: now,
      updated_at: now,
      test_mode: true,
    },
  };
}

export function orderView(ctx: EmulatorContext, order: OrderRecord): LsOrderData {
  return {
    type: 'orders',
    id: String(order.id),
    attributes: structuredClone(order.attributes),
    relationships: relationships(ctx, 'orders', order.id, ['store', 'customer', 'order-items', 'subscriptions', 'license-keys', 'discount-redemptions'] as const),
    links: selfLink(ctx, 'orders', order.id),
  };
}
