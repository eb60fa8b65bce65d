import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { parseDocument } from '../http.js';
import { sendResource, unprocessable } from '../jsonapi.js';
import { invoiceView } from '../objects/invoice.js';
import { orderView } from '../objects/order.js';
import { refundInvoice, refundOrder } from '../refunds.js';
import { sendList } from './listing.js';
import { byId, sameId } from './lookup.js';
import { refundDocument } from './schemas.js';

function refundAmount(type: 'orders' | 'subscription-invoices', body: unknown, urlId: string): number | undefined {
  const { data } = parseDocument(refundDocument(type), body);
  if (data && !sameId(data.id, urlId)) {
    throw unprocessable([{ pointer: '/data/id', detail: `The id ${data.id} does not match ${urlId} in the URL.` }]);
  }
  return data?.attributes?.amount;
}

/** Orders and subscription invoices: `GET`, the invoice list, and `POST .../refund` with an optional `amount` (cumulative). */
export function paymentRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/orders/:id', (req, res) => {
    sendResource(res, orderView(ctx, byId(ctx.store.orders, req.params.id)));
  });

  router.post('/v1/orders/:id/refund', (req, res) => {
    const order = byId(ctx.store.orders, req.params.id);
    refundOrder(ctx, order, refundAmount('orders', req.body, req.params.id));
    sendResource(res, orderView(ctx, order));
  });

  // Newest first, as LS lists them (by created_at descending).
  router.get('/v1/subscription-invoices', (req, res) => {
    const invoices = [...ctx.store.invoices.values()].reverse().map((invoice) => invoiceView(ctx, invoice));
    sendList(ctx, req, res, '/v1/subscription-invoices', invoices, {
      store_id: (i) => i.attributes.store_id,
      subscription_id: (i) => i.attributes.subscription_id,
      status: (i) => i.attributes.status,
      refunded: (i) => i.attributes.refunded,
    });
  });

  router.get('/v1/subscription-invoices/:id', (req, res) => {
    sendResource(res, invoiceView(ctx, byId(ctx.store.invoices, req.params.id)));
  });

  router.post('/v1/subscription-invoices/:id/refund', (req, res) => {
    const invoice = byId(ctx.store.invoices, req.params.id);
    refundInvoice(ctx, invoice, refundAmount('subscription-invoices', req.body, req.params.id));
    sendResource(res, invoiceView(ctx, invoice));
  });

  return router;
}
