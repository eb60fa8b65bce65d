import express, { Router, type Request, type Response } from 'express';
import { lastFour } from '../cards.js';
import type { EmulatorContext } from '../context.js';
import { catchUpClock } from '../http.js';
import { changeSubscription, SubscriptionChangeError, updatePaymentMethod, type SubscriptionChange } from '../lifecycle.js';
import { priceText } from '../objects/catalog.js';
import { checkPortalSignature } from '../portalUrls.js';
import { parseId, type CustomerRecord, type SubscriptionRecord } from '../store.js';
import { catchUp } from '../billing.js';
import { esc, formatDate, page } from './html.js';

function signedQuery(req: Request): string {
  const params = new URLSearchParams();
  params.set('expires', String(req.query.expires ?? ''));
  params.set('signature', String(req.query.signature ?? ''));
  return params.toString();
}

function actionForm(action: string, query: string, customerId: number, subscriptionId: number, label: string, cls = 'secondary'): string {
  return `<form class="inline" method="post" action="/portal/${customerId}/subscriptions/${subscriptionId}?${esc(query)}">
<input type="hidden" name="action" value="${esc(action)}">
<button type="submit" class="${cls}">${esc(label)}</button>
</form>`;
}

function whenText(sub: SubscriptionRecord): string {
  const a = sub.attributes;
  switch (a.status) {
    case 'active':
      return `Renews on ${formatDate(a.renews_at)}.`;
    case 'on_trial':
      return `Free trial until ${formatDate(a.trial_ends_at)}; the first payment is then.`;
    case 'cancelled':
      return `Cancelled. Access until ${formatDate(a.ends_at)}.`;
    case 'expired':
      return `Ended on ${formatDate(a.ends_at)}.`;
    case 'paused':
      return a.pause?.resumes_at ? `Payments paused until ${formatDate(a.pause.resumes_at)}.` : 'Payments paused.';
    case 'past_due':
      return `The last payment failed. Next attempt on ${formatDate(a.renews_at)}.`;
    default:
      return '';
  }
}

function renderSubscription(ctx: EmulatorContext, query: string, sub: SubscriptionRecord): string {
  const a = sub.attributes;
  const variant = ctx.store.variants.get(a.variant_id);
  const headingId = `subscription-${sub.id}-name`;
  const form = (action: string, label: string, cls?: string) => actionForm(action, query, a.customer_id, sub.id, label, cls);
  const actions: string[] = [];
  if (a.status === 'active') actions.push(form('pause', 'Pause'), form('cancel', 'Cancel', 'danger'));
  if (a.status === 'paused') actions.push(form('unpause', 'Unpause'), form('cancel', 'Cancel', 'danger'));
  if (a.status === 'past_due' || a.status === 'on_trial') actions.push(form('cancel', 'Cancel', 'danger'));
  if (a.status === 'cancelled') actions.push(form('resume', 'Resume'));
  return `<section class="subscription" id="subscription-${sub.id}" aria-labelledby="${headingId}">
<h2 id="${headingId}">${esc(a.product_name)}</h2>
<p>${esc(variant ? priceText(variant) : '')} · <span>Status: ${esc(a.status_formatted)}</span></p>
<p class="muted">${esc(whenText(sub))}</p>
${actions.join('\n')}
</section>`;
}

function renderPortal(ctx: EmulatorContext, customer: CustomerRecord, query: string, error?: string): string {
  const subscriptions = ctx.store.subscriptionsOf(customer.id).reverse();
  const list = subscriptions.length ? subscriptions.map((s) => renderSubscription(ctx, query, s)).join('\n') : '<p>You have no subscriptions.</p>';
  const card = customer.card;
  return page(
    'Manage your subscriptions',
    `<h1>Manage your subscriptions</h1>
<p class="muted">Signed in as ${esc(customer.attributes.email)}</p>
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
${list}
<section class="payment-method" id="payment-method" aria-labelledby="payment-method-heading">
<h2 id="payment-method-heading">Payment method</h2>
<p>${esc(card.brand === 'visa' ? 'Visa' : 'Mastercard')} ending in ${esc(lastFour(card))}</p>
<form method="post" action="/portal/${customer.id}/payment-method?${esc(query)}">
<button type="submit" class="secondary">Update payment method</button>
</form>
</section>`,
  );
}

function deny(res: Response, message: string): void {
  res.status(403).type('html').send(page('Link not valid', `<h1>${esc(message)}</h1><p>Open the billing portal again from the app.</p>`));
}

/** The customer with a valid signed link, or null after answering 404/403. */
function authorize(ctx: EmulatorContext, req: Request, res: Response): CustomerRecord | null {
  const id = parseId(String(req.params.customerId ?? ''));
  const customer = id === null ? undefined : ctx.store.customers.get(id);
  if (!customer) {
    res.status(404).type('html').send(page('Not found', '<h1>This customer does not exist.</h1>'));
    return null;
  }
  const check = checkPortalSignature(ctx, customer.id, req.query.expires, req.query.signature);
  if (check === 'bad_signature') {
    deny(res, 'This link is not valid.');
    return null;
  }
  if (check === 'expired') {
    deny(res, 'This link has expired.');
    return null;
  }
  return customer;
}

const ACTIONS: Record<string, SubscriptionChange> = {
  cancel: { cancelled: true },
  resume: { cancelled: false },
  pause: { pause: { mode: 'void', resumesAt: null } },
  unpause: { pause: null },
};

/**
 * The customer portal (`urls.customer_portal`, signed, valid 24 h of emulator clock): each subscription
 * with Cancel / Resume / Pause / Unpause, and "Update payment method". The buttons make the same changes
 * (and send the same webhooks) as the API.
 */
export function portalPageRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use('/portal', express.urlencoded({ extended: false, limit: '10kb' }), catchUpClock(ctx));

  router.get('/portal/:customerId', (req, res) => {
    const customer = authorize(ctx, req, res);
    if (!customer) return;
    res.type('html').send(renderPortal(ctx, customer, signedQuery(req)));
  });

  router.post('/portal/:customerId/subscriptions/:subscriptionId', (req, res) => {
    const customer = authorize(ctx, req, res);
    if (!customer) return;
    const subId = parseId(req.params.subscriptionId);
    const sub = subId === null ? undefined : ctx.store.subscriptions.get(subId);
    if (!sub || sub.attributes.customer_id !== customer.id) {
      res.status(404).type('html').send(page('Not found', '<h1>This subscription does not exist.</h1>'));
      return;
    }
    const action = String((req.body as Record<string, unknown> | undefined)?.action ?? '');
    const change = ACTIONS[action];
    const query = signedQuery(req);
    if (!change) {
      res.status(400).type('html').send(renderPortal(ctx, customer, query, `Unknown action: ${action}`));
      return;
    }
    try {
      changeSubscription(ctx, sub, change);
      catchUp(ctx);
    } catch (error) {
      if (!(error instanceof SubscriptionChangeError)) throw error;
      res.status(400).type('html').send(renderPortal(ctx, customer, query, error.message));
      return;
    }
    res.redirect(303, `/portal/${customer.id}?${query}`);
  });

  router.post('/portal/:customerId/payment-method', (req, res) => {
    const customer = authorize(ctx, req, res);
    if (!customer) return;
    updatePaymentMethod(ctx, customer);
    res.redirect(303, `/portal/${customer.id}?${signedQuery(req)}`);
  });

  return router;
}
