import { Router } from 'express';
import type Stripe from 'stripe';
import { idOf } from '../refs.js';
import type { EmulatorContext } from '../context.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { createdFilter, listPage } from '../list.js';
import { checkKeys, expandList, optEnum, optObject, optString } from '../params.js';
import type { InvoiceRecord } from '../store.js';

/** The invoice as the API shows it; `expand[]=payments` adds its invoice payments, as Stripe does. */
function invoiceView(ctx: EmulatorContext, record: InvoiceRecord, expand: string[]): Stripe.Invoice {
  const view: Stripe.Invoice = { ...record.invoice };
  if (expand.some((p) => p === 'payments' || p.startsWith('payments.'))) {
    view.payments = { object: 'list', data: record.payments, has_more: false, url: `/v1/invoices/${record.invoice.id}/payments` };
  }
  return expandObject(ctx.store, view, expand);
}

export function invoiceRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/invoices', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['customer', 'subscription', 'status', 'created', 'limit', 'starting_after', 'ending_before', 'expand'],
      knownToStripe: ['collection_method', 'customer_account', 'due_date'],
    });
    const customer = optString(params, 'customer');
    const subscription = optString(params, 'subscription');
    const status = optEnum(params, 'status', ['draft', 'open', 'paid', 'uncollectible', 'void'] as const);
    const created = createdFilter(params);
    const invoices = [...ctx.store.invoices.values()]
      .map((r) => r.invoice)
      .filter(
        (i) =>
          (customer === undefined || idOf(i.customer) === customer) &&
          (subscription === undefined || idOf(i.parent?.subscription_details?.subscription) === subscription) &&
          (status === undefined || i.status === status) &&
          created(i),
      );
    res.json(expandObject(ctx.store, listPage(invoices, params, '/v1/invoices'), expandList(params)));
  });

  // Since API 2025-03-31 charges and payment intents no longer name their invoice: this links them.
  router.get('/v1/invoice_payments', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, { supported: ['invoice', 'payment', 'limit', 'starting_after', 'ending_before', 'expand'], knownToStripe: ['status'] });
    const invoice = optString(params, 'invoice');
    const payment = optObject(params, 'payment');
    if (payment) checkKeys(payment, { supported: ['type', 'payment_intent'], knownToStripe: ['charge', 'payment_record'] }, 'payment');
    const paymentIntent = payment && optString(payment, 'payment_intent', 'payment[payment_intent]');
    const payments = [...ctx.store.invoices.values()]
      .flatMap((r) => r.payments)
      .filter((p) => (invoice === undefined || idOf(p.invoice) === invoice) && (paymentIntent === undefined || idOf(p.payment.payment_intent) === paymentIntent));
    res.json(expandObject(ctx.store, listPage(payments, params, '/v1/invoice_payments'), expandList(params)));
  });

  router.get('/v1/invoices/:id', (req, res) => {
    res.json(invoiceView(ctx, ctx.store.invoice(req.params.id), expandList(paramsOf(res))));
  });

  return router;
}
