import { isoTime } from './clock.js';
import type { EmulatorContext } from './context.js';
import { unprocessable } from './jsonapi.js';
import { emitInvoice, emitOrder } from './lifecycle.js';
import { formatAmount } from './money.js';
import type { InvoiceRecord, OrderRecord } from './store.js';

interface Refundable {
  status: string;
  status_formatted: string;
  currency: string;
  total: number;
  refunded: boolean;
  refunded_at: string | null;
  refunded_amount: number;
  refunded_amount_usd: number;
  refunded_amount_formatted: string;
  updated_at: string;
}

/**
 * Adds `amount` (default: all that is left) to `refunded_amount`. The status becomes `refunded` once the
 * whole total is refunded, `partial_refund` before. Throws a 422 for an amount out of range.
 */
function applyRefund(ctx: EmulatorContext, attrs: Refundable, amount: number | undefined, what: string): void {
  if (attrs.status !== 'paid' && attrs.status !== 'partial_refund') {
    const detail = attrs.status === 'refunded' ? `This ${what} has already been fully refunded.` : `This ${what} is ${attrs.status} and cannot be refunded.`;
    throw unprocessable([{ pointer: '/data/id', detail }]);
  }
  const left = attrs.total - attrs.refunded_amount;
  const refund = amount ?? left;
  if (!Number.isInteger(refund) || refund < 1 || refund > left) {
    throw unprocessable([
      { pointer: '/data/attributes/amount', detail: `The amount must be a whole number of cents from 1 to ${left} (what is left to refund).` },
    ]);
  }
  const now = isoTime(ctx.clock.nowSec());
  attrs.refunded_amount += refund;
  attrs.refunded_amount_usd += refund;
  attrs.refunded_amount_formatted = formatAmount(attrs.refunded_amount, attrs.currency);
  attrs.refunded = true;
  attrs.refunded_at = now;
  const full = attrs.refunded_amount === attrs.total;
  attrs.status = full ? 'refunded' : 'partial_refund';
  attrs.status_formatted = full ? 'Refunded' : 'Partial refund';
  attrs.updated_at = now;
}

/** `POST /v1/orders/:id/refund`: webhook `order_refunded`. */
export function refundOrder(ctx: EmulatorContext, order: OrderRecord, amount: number | undefined): void {
  applyRefund(ctx, order.attributes, amount, 'order');
  emitOrder(ctx, 'order_refunded', order);
}

/** `POST /v1/subscription-invoices/:id/refund`: webhook `subscription_payment_refunded`. */
export function refundInvoice(ctx: EmulatorContext, invoice: InvoiceRecord, amount: number | undefined): void {
  applyRefund(ctx, invoice.attributes, amount, 'subscription invoice');
  emitInvoice(ctx, 'subscription_payment_refunded', invoice);
}
