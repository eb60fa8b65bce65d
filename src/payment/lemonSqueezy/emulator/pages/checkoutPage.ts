import express, { Router, type Response } from 'express';
import { CheckoutPaymentError, completeCheckout, isExpired } from '../checkoutFlow.js';
import type { EmulatorContext } from '../context.js';
import { catchUpClock } from '../http.js';
import { priceText } from '../objects/catalog.js';
import { parseId, type CheckoutRecord } from '../store.js';
import { paymentForm, testCardList } from '../../../../emulators/shared/cardForm.js';
import { esc, formatDate, page } from './html.js';

interface FormState {
  email?: string;
  cardNumber?: string;
  expiry?: string;
  error?: CheckoutPaymentError;
}

function productTitle(ctx: EmulatorContext, checkout: CheckoutRecord): string {
  return checkout.attributes.product_options.name || ctx.store.variants.get(checkout.variantId)?.productName || 'Product';
}

export function renderCheckoutPage(ctx: EmulatorContext, checkout: CheckoutRecord, state: FormState = {}): string {
  const variant = ctx.store.variants.get(checkout.variantId);
  const name = productTitle(ctx, checkout);
  const email = state.email ?? checkout.attributes.checkout_data.email;
  const error = state.error ? `<p id="payment-error" class="error" role="alert">${esc(state.error.message)}</p>` : '';
  const description = checkout.attributes.product_options.description;
  return page(
    `Checkout: ${name}`,
    `<h1>${esc(name)}</h1>
${description ? `<p class="muted">${esc(description)}</p>` : ''}
<p class="price">${esc(variant ? priceText(variant) : '')}</p>
${variant?.trialDays && !checkout.attributes.checkout_options.skip_trial ? `<p>${variant.trialDays} days free, then the price above. Nothing is charged today.</p>` : ''}
${error}
${paymentForm(`/checkout/${checkout.id}`, state, email, 'type="email" autocomplete="email" required')}
${testCardList('succeeds now, every renewal fails')}`,
  );
}

function renderExpired(): string {
  return page('Checkout expired', '<h1>This checkout has expired.</h1>');
}

function notFound(res: Response, what: string): void {
  res.status(404).type('html').send(page('Not found', `<h1>${esc(what)}</h1>`));
}

/**
 * The hosted checkout page (`attributes.url`), its Pay, and the order confirmation it lands on when the
 * checkout has no `redirect_url` (also the order's `urls.receipt`).
 */
export function checkoutPageRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use('/checkout', express.urlencoded({ extended: false, limit: '100kb' }), catchUpClock(ctx));

  router.get('/checkout/:id', (req, res) => {
    const checkout = ctx.store.checkouts.get(req.params.id);
    if (!checkout) return notFound(res, 'This checkout does not exist.');
    if (isExpired(ctx, checkout)) {
      res.status(410).type('html').send(renderExpired());
      return;
    }
    res.type('html').send(renderCheckoutPage(ctx, checkout));
  });

  router.post('/checkout/:id', (req, res) => {
    const checkout = ctx.store.checkouts.get(req.params.id);
    if (!checkout) return notFound(res, 'This checkout does not exist.');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
    const form = { email: text('email'), cardNumber: text('cardNumber'), expiry: text('expiry'), cvc: text('cvc') };
    try {
      const { redirectUrl } = completeCheckout(ctx, checkout, { card: form.cardNumber ?? '', email: form.email, expiry: form.expiry, cvc: form.cvc });
      res.redirect(303, redirectUrl);
    } catch (error) {
      if (!(error instanceof CheckoutPaymentError)) throw error;
      if (error.kind === 'unavailable') {
        res.status(410).type('html').send(renderExpired());
        return;
      }
      res
        .status(error.kind === 'declined' ? 402 : 400)
        .type('html')
        .send(renderCheckoutPage(ctx, checkout, { email: form.email, cardNumber: form.cardNumber, expiry: form.expiry, error }));
    }
  });

  router.get('/checkout/:id/orders/:orderId', (req, res) => {
    const orderId = parseId(req.params.orderId);
    const order = orderId === null ? undefined : ctx.store.orders.get(orderId);
    if (!order || order.checkoutId !== req.params.id) return notFound(res, 'This order does not exist.');
    const a = order.attributes;
    res.type('html').send(
      page(
        'Thanks for your order',
        `<h1>Thanks for your order!</h1>
<p>Order #${esc(a.order_number)} · ${esc(a.first_order_item.product_name)} · ${esc(a.total_formatted)}</p>
<p class="muted">Paid on ${esc(formatDate(a.created_at))} by ${esc(a.user_email)} · Status: ${esc(a.status_formatted)}</p>`,
      ),
    );
  });

  // A subscription invoice's `urls.invoice_url`.
  router.get('/subscription-invoices/:id/invoice', (req, res) => {
    const id = parseId(req.params.id);
    const invoice = id === null ? undefined : ctx.store.invoices.get(id);
    if (!invoice || invoice.attributes.status === 'pending') return notFound(res, 'This invoice does not exist.');
    const a = invoice.attributes;
    res.type('html').send(
      page(
        `Invoice ${invoice.id}`,
        `<h1>Invoice ${esc(invoice.id)}</h1>
<p>${esc(a.total_formatted)} · ${esc(a.billing_reason === 'initial' ? 'First payment' : 'Renewal')} · Status: ${esc(a.status_formatted)}</p>
<p class="muted">${esc(formatDate(a.created_at))} · ${esc(a.user_email)}${a.refunded_amount ? ` · Refunded ${esc(a.refunded_amount_formatted)}` : ''}</p>`,
      ),
    );
  });

  return router;
}
