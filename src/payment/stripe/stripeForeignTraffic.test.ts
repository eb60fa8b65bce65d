import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import type { TestUser } from '../../test/testServer.js';
import { inApiVersion20240620 } from './testing/apiVersion20240620.js';
import {
  fullShapeCharge,
  fullShapeCheckoutSession,
  fullShapeCustomer,
  fullShapeInvoice,
  fullShapePaymentIntent,
  fullShapeSubscription,
} from './testing/fullShapes.js';
import { nowSeconds, stripeEvent, TEST_PRICES } from './testing/stripeObjects.js';
import { startStripeTestApp, stripeTestIds, type StripeTestApp } from './testing/stripeTestApp.js';
import { allWorkspaces } from '../../test/billingRecords.js';

// What `stripe trigger`, other apps on the same Stripe account and Dashboard actions send to our
// endpoint, as signed full-shape deliveries over HTTP, beside a workspace of ours with a running plan:
// every one is acknowledged (200) and recorded ignored with its reason, or parked by the engine when
// it names only a customer we do not know; nothing changes in any workspace and nobody gets an email.

let app: StripeTestApp;
let user: TestUser;
const ours = stripeTestIds();
const base = nowSeconds() - 3_600;

beforeAll(async () => {
  app = await startStripeTestApp();
  // No invoice paid any of the foreign payment intents (Stripe answers an empty list).
  app.api.on('GET /v1/invoice_payments', { status: 200, body: { object: 'list', has_more: false, url: '/v1/invoice_payments', data: [] } });
  user = await app.owner();
  const subscription = fullShapeSubscription({ id: ours.subscription, customer: ours.customer, workspaceId: user.workspaceId, priceId: TEST_PRICES.pro, currentPeriodEnd: base + 30 * 86_400 });
  await app.sendAll(
    stripeEvent('checkout.session.completed', fullShapeCheckoutSession({ mode: 'subscription', customer: ours.customer, workspaceId: user.workspaceId, subscription: ours.subscription }), { created: base }),
    stripeEvent('customer.subscription.created', subscription, { created: base + 1 }),
    stripeEvent('invoice.paid', fullShapeInvoice({ id: ours.invoice, customer: ours.customer, priceId: TEST_PRICES.pro, subscription: { id: ours.subscription, workspaceId: user.workspaceId }, paidAt: base + 1 }), { created: base + 1 }),
  );
});
afterAll(() => app.close());

const FOREIGN_PRICE = 'price_1PgafmB7WZ01zgkW6dKueIc5'; // the fixtures' own price: another product of the account
const foreign = stripeTestIds();
const at = base + 100;

/** The stream, each with the status its delivery must be recorded with. */
function triggerStream() {
  const foreignSubscription = (customer: string) => fullShapeSubscription({ id: `${foreign.subscription}_${customer}`, customer, priceId: FOREIGN_PRICE });
  const foreignInvoice = (customer: string) => fullShapeInvoice({ id: `${foreign.invoice}_${customer}`, customer, priceId: FOREIGN_PRICE, subscription: { id: `${foreign.subscription}_${customer}` } });
  const stream = [
    // `stripe trigger customer.created`, `payment_intent.succeeded`, `charge.succeeded`, `charge.refunded`: no customer of ours.
    stripeEvent('customer.created', fullShapeCustomer({ id: foreign.customer }), { created: at }),
    stripeEvent('payment_intent.created', fullShapePaymentIntent({ id: foreign.paymentIntent, status: 'requires_payment_method' }), { created: at }),
    stripeEvent('payment_intent.succeeded', fullShapePaymentIntent({ id: foreign.paymentIntent }), { created: at }),
    stripeEvent('charge.succeeded', fullShapeCharge({ customer: null, paymentIntent: foreign.paymentIntent, amountRefunded: 0 }), { created: at }),
    stripeEvent('charge.refunded', fullShapeCharge({ customer: null, paymentIntent: foreign.paymentIntent }), { created: at }),
    stripeEvent('charge.refunded', fullShapeCharge({ customer: null, paymentIntent: null }), { created: at }),
    // Another app's checkout (a payment link with a client_reference_id), paid and async.
    ...(['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed'] as const).map((type) => {
      const session = fullShapeCheckoutSession({ mode: 'payment', customer: foreign.customer, ours: false });
      session.client_reference_id = 'their-order-9';
      return stripeEvent(type, session, { created: at });
    }),
    // Another product's subscription and invoices: for a foreign customer, and for ours (the same buyer).
    ...[foreign.customer, ours.customer].flatMap((customer) => [
      ...(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.trial_will_end', 'customer.subscription.deleted'] as const).map((type) =>
        stripeEvent(type, foreignSubscription(customer), { created: at }),
      ),
      ...(['invoice.paid', 'invoice.payment_succeeded', 'invoice.payment_failed'] as const).map((type) => stripeEvent(type, foreignInvoice(customer), { created: at })),
    ]),
    // The same from an endpoint on an older API version.
    inApiVersion20240620(stripeEvent('invoice.paid', foreignInvoice(ours.customer), { created: at })),
    inApiVersion20240620(stripeEvent('customer.subscription.updated', foreignSubscription(ours.customer), { created: at })),
    // Types the plugin does not act on, and a v2 thin event.
    { ...stripeEvent('customer.created', fullShapeCustomer({ id: ours.customer }), { created: at }), type: 'customer.tax_id.created', data: { object: { id: 'txi_1', object: 'tax_id', customer: ours.customer } } },
    { ...stripeEvent('customer.created', fullShapeCustomer({ id: foreign.customer }), { created: at }), type: 'entitlements.active_entitlement_summary.updated' },
    { id: `evt_thin_${foreign.customer}`, object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found', created: new Date().toISOString(), related_object: null, livemode: false },
  ];
  return stream;
}

it('acknowledges the whole stream, records each delivery ignored with its reason, and changes nothing', async () => {
  const before = {
    workspace: await app.t.workspace(user.workspaceId),
    payments: await db().payment.findMany({ orderBy: { id: 'asc' } }),
    audit: await db().auditEvent.count(),
    outbox: await db().emailOutbox.count(),
    workspaces: await allWorkspaces(),
  };
  const stream = triggerStream();
  for (const event of stream) {
    const res = await app.send(event);
    expect({ type: event.type, ...res }).toMatchObject({ type: event.type, status: 200, body: { ignored: true } });
  }

  const deliveries = await db().webhookDelivery.findMany({ where: { eventId: { in: stream.map((e) => e.id as string) } } });
  expect(deliveries).toHaveLength(stream.length);
  for (const delivery of deliveries) {
    expect({ type: delivery.type, status: delivery.status, lastError: delivery.lastError }).toEqual({ type: delivery.type, status: 'ignored', lastError: expect.any(String) });
  }
  const reasons = deliveries.map((d) => d.lastError!);
  expect(reasons).toEqual(expect.arrayContaining([
    `subscription ${foreign.subscription}_${ours.customer} is on price ${FOREIGN_PRICE}, not one of our plans, and names no workspace of ours`,
    `invoice ${foreign.invoice}_${ours.customer} bills price ${FOREIGN_PRICE}, none of our plans, and names no workspace of ours`,
    expect.stringMatching(/^charge ch_\w+ names no customer and no workspace of ours/),
    expect.stringMatching(/^checkout session cs_test_\w+ was not created by this plugin/),
    'Stripe event type customer.created is not one this plugin acts on',
    expect.stringMatching(/thin \(v2\) event/),
  ]));

  expect(await app.t.workspace(user.workspaceId)).toEqual(before.workspace);
  expect(before.workspace).toMatchObject({ subscriptionId: ours.subscription, subscriptionPlan: 'pro', subscriptionStatus: 'active' });
  expect(await allWorkspaces()).toEqual(before.workspaces);
  expect(await db().payment.findMany({ orderBy: { id: 'asc' } })).toEqual(before.payments);
  expect(await db().auditEvent.count()).toBe(before.audit);
  expect(await db().emailOutbox.count()).toBe(before.outbox);
});

it('parks an event on one of our prices that names only a customer nobody linked, without changing anything', async () => {
  const stranger = stripeTestIds();
  const outbox = await db().emailOutbox.count();
  const event = stripeEvent('invoice.paid', fullShapeInvoice({ customer: stranger.customer, priceId: TEST_PRICES.pro, subscription: { id: stranger.subscription } }), { created: at });
  const res = await app.send(event);
  expect(res.status).toBe(200);
  expect(await db().webhookDelivery.findUniqueOrThrow({ where: { processor_eventId: { processor: 'stripe', eventId: event.id } } })).toMatchObject({ status: 'parked' });
  expect(await db().payment.count({ where: { moneyId: event.data.object.id } })).toBe(0);
  expect(await db().emailOutbox.count()).toBe(outbox);
});
