import express, { Router, type Response } from 'express';
import type Stripe from 'stripe';
import { idOf, productName } from '../refs.js';
import { billNewInvoice, cancelSubscription, changePrice, emitSubscriptionUpdated, setCancelAtPeriodEnd } from '../subscriptionLifecycle.js';
import type { EmulatorContext } from '../context.js';
import { formatAmount } from '../money.js';
import { firstItem } from '../objects/subscription.js';
import { snapshot } from '../snapshot.js';
import type { SubscriptionRecord } from '../store.js';
import { esc, formatDate, page } from './html.js';

const STATUS_LABELS: Record<string, string> = {
  active: 'Active',
  trialing: 'Trial',
  past_due: 'Past due',
  canceled: 'Canceled',
  unpaid: 'Unpaid',
  incomplete: 'Incomplete',
  incomplete_expired: 'Expired',
  paused: 'Paused',
};

function priceText(price: Stripe.Price): string {
  const amount = formatAmount(price.unit_amount ?? 0, price.currency);
  return price.recurring ? `${amount} per ${price.recurring.interval}` : amount;
}

function actionForm(portalId: string, subscriptionId: string, action: string, label: string, extra = '', cls = 'secondary'): string {
  return `<form class="inline" method="post" action="/portal/${esc(portalId)}/subscriptions/${esc(subscriptionId)}">
<input type="hidden" name="action" value="${esc(action)}">${extra}
<button type="submit" class="${cls}">${esc(label)}</button>
</form>`;
}

function renderSubscription(ctx: EmulatorContext, portalId: string, record: SubscriptionRecord): string {
  const subscription = record.subscription;
  const item = firstItem(subscription);
  const name = productName(ctx, item.price);
  const headingId = `sub-${subscription.id}`;
  const status = STATUS_LABELS[subscription.status] ?? subscription.status;
  let when = '';
  if (subscription.status === 'canceled') {
    when = subscription.ended_at ? `Ended on ${formatDate(subscription.ended_at)}.` : '';
  } else if (subscription.cancel_at_period_end) {
    when = `Cancels on ${formatDate(item.current_period_end)}.`;
  } else if (subscription.status === 'trialing' && subscription.trial_end) {
    when = `Trial ends on ${formatDate(subscription.trial_end)}.`;
  } else {
    when = `Renews on ${formatDate(item.current_period_end)}.`;
  }
  const actions: string[] = [];
  if (subscription.status !== 'canceled') {
    actions.push(
      subscription.cancel_at_period_end
        ? actionForm(portalId, subscription.id, 'resume', 'Resume')
        : actionForm(portalId, subscription.id, 'cancel_at_period_end', 'Cancel at period end'),
    );
    actions.push(actionForm(portalId, subscription.id, 'cancel_now', 'Cancel now', '', 'danger'));
    for (const price of ctx.store.prices.values()) {
      if (!price.active || !price.recurring || price.id === item.price.id || price.currency !== subscription.currency) continue;
      actions.push(
        actionForm(portalId, subscription.id, 'switch', `Switch to ${productName(ctx, price)}`, `<input type="hidden" name="price" value="${esc(price.id)}">`),
      );
    }
  }
  return `<section class="subscription" aria-labelledby="${esc(headingId)}">
<h2 id="${esc(headingId)}">${esc(name)}</h2>
<p>${esc(priceText(item.price))} · <span>Status: ${esc(status)}</span></p>
<p class="muted">${esc(when)}</p>
${actions.join('\n')}
</section>`;
}

function renderPortal(ctx: EmulatorContext, session: Stripe.BillingPortal.Session, error?: string): string {
  const customer = ctx.store.customers.get(session.customer);
  const subscriptions = [...ctx.store.subscriptions.values()].filter((r) => idOf(r.subscription.customer) === session.customer).reverse();
  const list = subscriptions.length
    ? subscriptions.map((r) => renderSubscription(ctx, session.id, r)).join('\n')
    : '<p>You have no subscriptions.</p>';
  const back = session.return_url ? `<p><a href="${esc(session.return_url)}">Return to app</a></p>` : '';
  return page(
    'Manage your subscription',
    `<h1>Manage your subscription</h1>
${customer?.email ? `<p class="muted">Signed in as ${esc(customer.email)}</p>` : ''}
${error ? `<p class="error" role="alert">${esc(error)}</p>` : ''}
${list}
${back}`,
  );
}

function notFound(res: Response, what: string): void {
  res.status(404).type('html').send(page('Not found', `<h1>${esc(what)}</h1>`));
}

/** A portal button: the same change the API would make, with the same events. */
function applyAction(ctx: EmulatorContext, record: SubscriptionRecord, action: string, priceId: string | undefined): string | null {
  const subscription = record.subscription;
  if (subscription.status === 'canceled') return 'This subscription is already canceled.';
  switch (action) {
    case 'cancel_at_period_end':
    case 'resume': {
      const before = snapshot(subscription);
      setCancelAtPeriodEnd(ctx, record, action === 'cancel_at_period_end');
      emitSubscriptionUpdated(ctx, record, before);
      return null;
    }
    case 'cancel_now':
      cancelSubscription(ctx, record, 'cancellation_requested');
      return null;
    case 'switch': {
      const price = priceId ? ctx.store.prices.get(priceId) : undefined;
      if (!price || !price.recurring || !price.active) return 'That plan is not available.';
      const before = snapshot(subscription);
      const invoice = changePrice(ctx, record, price, 'create_prorations');
      emitSubscriptionUpdated(ctx, record, before);
      if (invoice) billNewInvoice(ctx, record, invoice, 'later');
      return null;
    }
    default:
      return `Unknown action: ${action}`;
  }
}

export function portalPageRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.use('/portal', express.urlencoded({ extended: false, limit: '10kb' }));

  router.get('/portal/:id', (req, res) => {
    const session = ctx.store.portalSessions.get(req.params.id);
    if (!session) return notFound(res, 'This portal session does not exist.');
    res.type('html').send(renderPortal(ctx, session));
  });

  router.post('/portal/:id/subscriptions/:subscriptionId', (req, res) => {
    const session = ctx.store.portalSessions.get(req.params.id);
    if (!session) return notFound(res, 'This portal session does not exist.');
    const record = ctx.store.subscriptions.get(req.params.subscriptionId);
    if (!record || idOf(record.subscription.customer) !== session.customer) return notFound(res, 'This subscription does not exist.');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = typeof body.action === 'string' ? body.action : '';
    const price = typeof body.price === 'string' ? body.price : undefined;
    const error = applyAction(ctx, record, action, price);
    if (error) {
      res.status(400).type('html').send(renderPortal(ctx, session, error));
      return;
    }
    res.redirect(303, `/portal/${session.id}`);
  });

  return router;
}
