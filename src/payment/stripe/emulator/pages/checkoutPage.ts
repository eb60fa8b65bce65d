import express, { Router, type Response } from 'express';
import { productName } from '../refs.js';
import { CheckoutPaymentError, completeCheckout, isOpen, prefilledEmail } from '../checkoutFlow.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import type { CheckoutSessionRecord } from '../store.js';
import { paymentForm, testCardList } from '../../../../emulators/shared/cardForm.js';
import { esc, page } from './html.js';

interface FormState {
  email?: string;
  cardNumber?: string;
  expiry?: string;
  error?: CheckoutPaymentError;
}

function priceLine(record: CheckoutSessionRecord): string {
  const { price, quantity } = record;
  const each = formatAmount(price.unit_amount ?? 0, price.currency);
  const total = formatAmount((price.unit_amount ?? 0) * quantity, price.currency);
  const per = price.recurring ? ` per ${price.recurring.interval}` : '';
  return quantity > 1 ? `${total}${per} (${quantity} × ${each})` : `${total}${per}`;
}

export function renderCheckoutPage(ctx: EmulatorContext, record: CheckoutSessionRecord, state: FormState = {}): string {
  const session = record.session;
  const name = productName(ctx, record.price);
  const title = `Pay for ${name}`;
  const trialDays = record.subscriptionData.trialPeriodDays;
  const locked = Boolean(session.customer);
  const email = locked ? prefilledEmail(ctx, record) : (state.email ?? prefilledEmail(ctx, record));
  const cancel = session.cancel_url ? `<p><a href="${esc(session.cancel_url)}">Cancel</a> and return</p>` : '';
  const error = state.error ? `<p id="payment-error" class="error" role="alert">${esc(state.error.message)}</p>` : '';
  return page(
    title,
    `<h1>${esc(name)}</h1>
<p class="price">${esc(priceLine(record))}</p>
${trialDays ? `<p>${trialDays} days free, then ${esc(priceLine(record))}.</p>` : ''}
${error}
${paymentForm(`/checkout/${session.id}`, state, email, `type="email" autocomplete="email" required${locked ? ' readonly' : ''}`)}
${cancel}
${testCardList('succeeds now, later renewals fail')}`,
  );
}

function renderDone(record: CheckoutSessionRecord): string {
  const session = record.session;
  const heading = session.status === 'complete' ? 'Thanks, your payment is complete.' : 'This checkout session is no longer available.';
  const back = session.status === 'complete' && session.success_url
    ? `<p><a href="${esc(session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id))}">Continue</a></p>`
    : session.cancel_url
      ? `<p><a href="${esc(session.cancel_url)}">Return</a></p>`
      : '';
  return page(heading, `<h1>${esc(heading)}</h1>${back}`);
}

function notFound(res: Response): void {
  res.status(404).type('html').send(page('Not found', '<h1>This checkout session does not exist.</h1>'));
}

export function checkoutPageRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use('/checkout', express.urlencoded({ extended: false, limit: '100kb' }));

  router.get('/checkout/:id', (req, res) => {
    const record = ctx.store.checkoutSessions.get(req.params.id);
    if (!record) return notFound(res);
    if (!isOpen(ctx, record)) {
      res.status(record.session.status === 'complete' ? 200 : 410).type('html').send(renderDone(record));
      return;
    }
    res.type('html').send(renderCheckoutPage(ctx, record));
  });

  router.post('/checkout/:id', (req, res) => {
    const record = ctx.store.checkoutSessions.get(req.params.id);
    if (!record) return notFound(res);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (key: string) => (typeof body[key] === 'string' ? body[key] : undefined);
    const form = { email: text('email'), cardNumber: text('cardNumber'), expiry: text('expiry'), cvc: text('cvc') };
    try {
      const redirect = completeCheckout(ctx, record, {
        card: form.cardNumber ?? '',
        email: form.email,
        expiry: form.expiry,
        cvc: form.cvc,
      });
      if (redirect) res.redirect(303, redirect);
      else res.redirect(303, `/checkout/${record.session.id}`);
    } catch (error) {
      if (!(error instanceof CheckoutPaymentError)) throw error;
      if (error.kind === 'unavailable') {
        res.status(410).type('html').send(renderDone(record));
        return;
      }
      res
        .status(error.kind === 'declined' ? 402 : 400)
        .type('html')
        .send(renderCheckoutPage(ctx, record, { email: form.email, cardNumber: form.cardNumber, expiry: form.expiry, error }));
    }
  });

  return router;
}
