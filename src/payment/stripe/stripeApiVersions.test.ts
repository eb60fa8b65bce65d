import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { STRIPE_API_VERSION } from './stripeClient.js';
import { inApiVersion20240620, LEGACY_API_VERSION } from './testing/apiVersion20240620.js';
import { fullShapeCharge, fullShapeCheckoutSession, fullShapeInvoice, fullShapeSubscription } from './testing/fullShapes.js';
import { nowSeconds, stripeEvent, TEST_PRICES } from './testing/stripeObjects.js';
import { startStripeTestApp, stripeTestIds, type StripeTestApp } from './testing/stripeTestApp.js';
import { mappedStripeEventTypes } from './webhook/stripeWebhook.js';

// Every event type the mapper acts on, as signed full-shape deliveries over HTTP, from an endpoint on
// the pinned API version and from one on 2024-06-20 (a Dashboard endpoint of an older account): the
// same workspace history ends in the same billing state.

let app: StripeTestApp;
beforeAll(async () => {
  app = await startStripeTestApp();
  // A refund of an invoice's charge is matched through the invoice its payment intent paid (pinned version).
  app.api.on('GET /v1/invoice_payments', (request) => {
    const invoice = paidInvoices.get(request.params['payment[payment_intent]'] ?? '');
    return { status: 200, body: { object: 'list', has_more: false, url: '/v1/invoice_payments', data: invoice ? [{ object: 'invoice_payment', invoice }] : [] } };
  });
});
afterAll(() => app.close());

const paidInvoices = new Map<string, Stripe.Invoice>();
const base = nowSeconds() - 3_600;
const DAY = 86_400;

/** One workspace's whole billing life, in the order Stripe sends it, built with its ids. */
function history(workspaceId: string) {
  const id = stripeTestIds();
  const renewal = `${id.invoice}_2`;
  const subscription = (status: Stripe.Subscription.Status, o: { endedAt?: number } = {}) =>
    fullShapeSubscription({ id: id.subscription, customer: id.customer, workspaceId, planId: 'hobby', priceId: TEST_PRICES.hobby, status, trialEnd: base + 3 * DAY, currentPeriodEnd: base + 30 * DAY, ...o });
  const invoice = (invoiceId: string, status: Stripe.Invoice.Status) =>
    fullShapeInvoice({ id: invoiceId, customer: id.customer, amount: 2900, priceId: TEST_PRICES.hobby, status, subscription: { id: id.subscription, workspaceId, planId: 'hobby' }, paidAt: base + 5 });
  const pack = (sessionId: string, paymentIntent: string, paymentStatus: Stripe.Checkout.Session.PaymentStatus) =>
    fullShapeCheckoutSession({ id: sessionId, mode: 'payment', customer: id.customer, workspaceId, paymentIntent, invoice: `${sessionId}_invoice`, paymentStatus });
  paidInvoices.set(id.paymentIntent, invoice(id.invoice, 'paid'));

  const events: { event: Stripe.Event; chargeInvoice?: string; paymentIntent?: string }[] = [
    { event: stripeEvent('checkout.session.completed', fullShapeCheckoutSession({ mode: 'subscription', customer: id.customer, workspaceId, planId: 'hobby', subscription: id.subscription }), { created: base + 1 }) },
    { event: stripeEvent('customer.subscription.created', subscription('trialing'), { created: base + 2 }) },
    { event: stripeEvent('customer.subscription.trial_will_end', subscription('trialing'), { created: base + 3 }) },
    { event: stripeEvent('customer.subscription.updated', subscription('active'), { created: base + 4 }) },
    { event: stripeEvent('invoice.paid', invoice(id.invoice, 'paid'), { created: base + 5 }), paymentIntent: id.paymentIntent },
    { event: stripeEvent('invoice.payment_succeeded', invoice(id.invoice, 'paid'), { created: base + 5 }), paymentIntent: id.paymentIntent },
    { event: stripeEvent('invoice.payment_failed', invoice(renewal, 'open'), { created: base + 6 }) },
    { event: stripeEvent('charge.refunded', fullShapeCharge({ customer: id.customer, paymentIntent: id.paymentIntent, amount: 2900, amountRefunded: 1000 }), { created: base + 7 }), chargeInvoice: id.invoice },
    { event: stripeEvent('customer.subscription.deleted', subscription('canceled', { endedAt: base + 8 }), { created: base + 8 }) },
    { event: stripeEvent('checkout.session.completed', pack(`cs_${id.paymentIntent}_a`, `${id.paymentIntent}_a`, 'paid'), { created: base + 9 }) },
    { event: stripeEvent('checkout.session.completed', pack(`cs_${id.paymentIntent}_b`, `${id.paymentIntent}_b`, 'unpaid'), { created: base + 10 }) },
    { event: stripeEvent('checkout.session.async_payment_succeeded', pack(`cs_${id.paymentIntent}_b`, `${id.paymentIntent}_b`, 'paid'), { created: base + 11 }) },
    { event: stripeEvent('checkout.session.completed', pack(`cs_${id.paymentIntent}_c`, `${id.paymentIntent}_c`, 'unpaid'), { created: base + 12 }) },
    { event: stripeEvent('checkout.session.async_payment_failed', pack(`cs_${id.paymentIntent}_c`, `${id.paymentIntent}_c`, 'unpaid'), { created: base + 13 }) },
  ];
  return { id, renewal, events };
}

it('the history covers every event type the mapper acts on', () => {
  expect(new Set(history('ws_x').events.map(({ event }) => event.type))).toEqual(new Set(mappedStripeEventTypes));
});

describe.each([STRIPE_API_VERSION, LEGACY_API_VERSION])('an endpoint on API version %s', (version) => {
  it('applies every handled event type: plan, trial, payments, refund, end, credit packs', async () => {
    const user = await app.owner();
    const { id, renewal, events } = history(user.workspaceId);
    const deliveries = events.map(({ event, ...legacy }) => (version === LEGACY_API_VERSION ? inApiVersion20240620(event, legacy) : event));
    expect(deliveries.every((delivery) => delivery.api_version === version)).toBe(true);

    for (const [index, delivery] of deliveries.entries()) {
      const res = await app.send(delivery);
      expect({ index, type: delivery.type, ...res }).toMatchObject({ index, status: 200, body: { duplicate: false, ignored: false } });
      if (delivery.type === 'invoice.paid') {
        expect(await app.t.workspace(user.workspaceId)).toMatchObject({ subscriptionId: id.subscription, subscriptionPlan: 'hobby', subscriptionStatus: 'active', datePaid: new Date((base + 5) * 1000) });
      }
    }

    const stored = await db().webhookDelivery.findMany({ where: { eventId: { in: deliveries.map((d) => d.id as string) } } });
    expect(stored.map((d) => d.status)).toEqual(deliveries.map(() => 'processed'));
    expect(await app.t.workspace(user.workspaceId)).toMatchObject({ subscriptionId: id.subscription, subscriptionStatus: 'canceled', credits: 20, trialUsedAt: expect.any(Date) });
    const payments = await db().payment.findMany({ where: { workspaceId: user.workspaceId }, orderBy: { occurredAt: 'asc' } });
    expect(payments.map((p) => ({ moneyId: p.moneyId, status: p.status, amount: p.amount, amountRefunded: p.amountRefunded, planId: p.planId }))).toEqual([
      { moneyId: id.invoice, status: 'partially_refunded', amount: 2900, amountRefunded: 1000, planId: 'hobby' },
      { moneyId: renewal, status: 'failed', amount: 2900, amountRefunded: 0, planId: 'hobby' },
      { moneyId: `${id.paymentIntent}_a`, status: 'succeeded', amount: 990, amountRefunded: 0, planId: 'credits10' },
      { moneyId: `${id.paymentIntent}_b`, status: 'succeeded', amount: 990, amountRefunded: 0, planId: 'credits10' },
      { moneyId: `${id.paymentIntent}_c`, status: 'failed', amount: 990, amountRefunded: 0, planId: 'credits10' },
    ]);
    const templates = (await app.outboxFor(user.email)).map((email) => email.template);
    expect(templates).toEqual(expect.arrayContaining(['trial_ending', 'payment_succeeded', 'payment_failed', 'refund_issued', 'subscription_ended', 'credits_purchased']));
  });
});
