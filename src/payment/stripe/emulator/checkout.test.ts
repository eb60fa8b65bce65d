import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutPaymentError } from './index.js';
import { startHarness, subscribe, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function ofType<T extends Stripe.Event['type']>(events: Stripe.Event[], type: T): Extract<Stripe.Event, { type: T }>[] {
  return events.filter((e): e is Extract<Stripe.Event, { type: T }> => e.type === type);
}

describe('subscription checkout', () => {
  it('creates the subscription, a paid first invoice and a charge, with the events in order', async () => {
    const { customer, session, subscription } = await subscribe(h);
    await h.emulator.idle();

    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.types()).toEqual([
      'customer.created', // the customer made by customers.create
      'customer.subscription.created',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.succeeded',
      'charge.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'checkout.session.completed',
    ]);
    const events = h.receiver.accepted().map((d) => d.event);
    for (const event of events) {
      expect(event.object).toBe('event');
      expect(event.id).toMatch(/^evt_/);
      expect(event.api_version).toBe('2026-10-28.endive');
      expect(event.livemode).toBe(false);
      expect(event.pending_webhooks).toBe(1);
    }

    // The session.
    expect(session.status).toBe('complete');
    expect(session.payment_status).toBe('paid');
    expect(session.subscription).toBe(subscription.id);
    expect(session.customer).toBe(customer.id);
    expect(session.invoice).toBe(subscription.latest_invoice);
    expect(session.customer_details?.email).toBe('owner@example.com');
    const completed = ofType(events, 'checkout.session.completed')[0]!;
    expect(completed.data.object.client_reference_id).toBe('ws_1');
    expect(completed.data.object.metadata).toEqual({ workspaceId: 'ws_1', planId: 'pro' });
    expect(completed.data.object.subscription).toBe(subscription.id);

    // The subscription: metadata from subscription_data, the period on the item.
    expect(subscription.status).toBe('active');
    expect(subscription.metadata).toEqual({ workspaceId: 'ws_1', planId: 'pro' });
    const item = subscription.items.data[0]!;
    expect(item.price.id).toBe('price_pro');
    expect(item.current_period_start).toBe(subscription.start_date);
    const start = new Date(item.current_period_start * 1000);
    const end = new Date(item.current_period_end * 1000);
    expect(end.getUTCMonth()).toBe((start.getUTCMonth() + 1) % 12);
    const created = ofType(events, 'customer.subscription.created')[0]!;
    expect(created.data.object.id).toBe(subscription.id);
    expect(created.data.object.items.data[0]!.current_period_end).toBe(item.current_period_end);

    // The invoice: subscription under parent.subscription_details, price under line.pricing.
    const paid = ofType(events, 'invoice.paid')[0]!.data.object;
    expect(paid.id).toBe(subscription.latest_invoice);
    expect(paid.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(paid.parent?.subscription_details?.metadata).toEqual({ workspaceId: 'ws_1', planId: 'pro' });
    expect(paid.billing_reason).toBe('subscription_create');
    expect(paid.status).toBe('paid');
    expect(paid.amount_paid).toBe(2900);
    expect(paid.number).toMatch(/^[A-Z0-9]{8}-0001$/);
    expect(paid.lines.data[0]!.pricing?.price_details?.price).toBe('price_pro');
    expect(paid.lines.data[0]!.period).toEqual({ start: item.current_period_start, end: item.current_period_end });
    expect(ofType(events, 'invoice.created')[0]!.data.object.status).toBe('draft');
    expect(ofType(events, 'invoice.finalized')[0]!.data.object.status).toBe('open');

    // The payment.
    const charge = ofType(events, 'charge.succeeded')[0]!.data.object;
    expect(charge.amount).toBe(2900);
    expect(charge.paid).toBe(true);
    expect(charge.customer).toBe(customer.id);
    const invoice = await h.stripe.invoices.retrieve(paid.id, { expand: ['payments'] });
    expect(invoice.payments?.data[0]?.payment.payment_intent).toBe(charge.payment_intent);

    // Lists.
    const subs = await h.stripe.subscriptions.list({ customer: customer.id });
    expect(subs.data.map((s) => s.id)).toEqual([subscription.id]);
    const invoices = await h.stripe.invoices.list({ subscription: subscription.id });
    expect(invoices.data.map((i) => i.id)).toEqual([paid.id]);
  });

  it('creates the customer from customer_email when none is given', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer_email: 'fresh@example.com',
      line_items: [{ price: 'price_hobby', quantity: 1 }],
      success_url: 'http://app.test/ok',
    });
    await h.emulator.completeCheckout(session.id);
    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['customer'] });
    expect((done.customer as Stripe.Customer).email).toBe('fresh@example.com');
    expect(h.emulator.events()[0]!.type).toBe('customer.created');
  });

  it('starts a trial: trialing, a $0 paid invoice, no charge, payment_status no_payment_required', async () => {
    const { session, subscription } = await subscribe(h, { trialDays: 14 });
    expect(subscription.status).toBe('trialing');
    expect(subscription.trial_end! - subscription.trial_start!).toBe(14 * 86400);
    expect(subscription.items.data[0]!.current_period_end).toBe(subscription.trial_end);
    expect(session.payment_status).toBe('no_payment_required');
    const types = h.emulator.events().map((e) => e.type);
    expect(types).not.toContain('charge.succeeded');
    expect(types).toContain('invoice.paid');
    const invoice = await h.stripe.invoices.retrieve(String(subscription.latest_invoice));
    expect(invoice.amount_paid).toBe(0);
    expect(invoice.status).toBe('paid');
  });
});

describe('payment checkout', () => {
  it('creates a payment intent with the metadata and a charge, then checkout.session.completed', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: 'price_credits10', quantity: 2 }],
      customer_email: 'buyer@example.com',
      client_reference_id: 'ws_7',
      metadata: { workspaceId: 'ws_7', planId: 'credits10' },
      payment_intent_data: { metadata: { workspaceId: 'ws_7', planId: 'credits10' } },
      success_url: 'http://app.test/ok?session_id={CHECKOUT_SESSION_ID}',
    });
    expect(session.amount_total).toBe(1980);
    const { redirectUrl } = await h.emulator.completeCheckout(session.id);
    expect(redirectUrl).toBe(`http://app.test/ok?session_id=${session.id}`);
    await h.emulator.idle();
    expect(h.receiver.types()).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'checkout.session.completed']);

    const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
    expect(done.status).toBe('complete');
    expect(done.payment_status).toBe('paid');
    expect(done.customer).toBeNull();
    expect(done.invoice).toBeNull();
    const pi = done.payment_intent as Stripe.PaymentIntent;
    expect(pi.status).toBe('succeeded');
    expect(pi.amount).toBe(1980);
    expect(pi.metadata).toEqual({ workspaceId: 'ws_7', planId: 'credits10' });
    const charge = h.receiver.accepted()[1]!.event.data.object as Stripe.Charge;
    expect(charge.payment_intent).toBe(pi.id);
    expect(charge.metadata).toEqual({ workspaceId: 'ws_7', planId: 'credits10' });
  });

  it('creates a paid invoice (and a customer) with invoice_creation', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'payment',
      line_items: [{ price: 'price_credits10', quantity: 1 }],
      customer_email: 'buyer@example.com',
      invoice_creation: { enabled: true, invoice_data: { metadata: { workspaceId: 'ws_8' } } },
      success_url: 'http://app.test/ok',
    });
    await h.emulator.completeCheckout(session.id);
    await h.emulator.idle();
    expect(h.receiver.types()).toEqual([
      'customer.created',
      'payment_intent.succeeded',
      'charge.succeeded',
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
      'checkout.session.completed',
    ]);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    const invoice = await h.stripe.invoices.retrieve(String(done.invoice));
    expect(invoice.status).toBe('paid');
    expect(invoice.amount_paid).toBe(990);
    expect(invoice.parent).toBeNull();
    expect(invoice.metadata).toEqual({ workspaceId: 'ws_8' });
    expect(invoice.billing_reason).toBe('manual');
  });
});

describe('declined card', () => {
  it('changes nothing and emits nothing', async () => {
    const customer = await h.stripe.customers.create({ email: 'd@example.com' });
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: 'price_pro', quantity: 1 }],
      success_url: 'http://app.test/ok',
    });
    const before = h.emulator.events().length;
    const error = await h.emulator.completeCheckout(session.id, '4000 0000 0000 0002').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckoutPaymentError);
    expect((error as CheckoutPaymentError).message).toBe('Your card was declined.');
    expect(h.emulator.events()).toHaveLength(before);
    const still = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(still.status).toBe('open');
    expect(still.subscription).toBeNull();
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
    await h.emulator.idle();
    expect(h.receiver.types()).toEqual(['customer.created']);
  });
});

describe('hosted checkout page', () => {
  async function newSession(): Promise<Stripe.Checkout.Session> {
    const customer = await h.stripe.customers.create({ email: 'page@example.com', metadata: { workspaceId: 'ws_p' } });
    return h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer: customer.id,
      line_items: [{ price: 'price_pro', quantity: 1 }],
      subscription_data: { metadata: { workspaceId: 'ws_p' } },
      success_url: 'http://app.test/ok?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://app.test/cancel',
    });
  }

  it('shows the plan and an accessible form, and Pay redirects (303) to success_url', async () => {
    const session = await newSession();
    const html = await (await fetch(session.url!)).text();
    expect(html).toContain('<h1>Pro</h1>');
    expect(html).toContain('$29.00 per month');
    expect(html).toContain('<label for="cardNumber">Card number</label>');
    expect(html).toContain('value="page@example.com"');
    expect(html).toContain('<button type="submit" class="pay">Pay</button>');
    expect(html).toContain('href="http://app.test/cancel"');

    const response = await fetch(session.url!, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'page@example.com', cardNumber: '4242 4242 4242 4242', expiry: '12 / 34', cvc: '123' }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`http://app.test/ok?session_id=${session.id}`);
    const done = await h.stripe.checkout.sessions.retrieve(session.id);
    expect(done.status).toBe('complete');
    const subscription = await h.stripe.subscriptions.retrieve(String(done.subscription));
    expect(subscription.metadata).toEqual({ workspaceId: 'ws_p' });
    const charge = h.emulator.events().find((e) => e.type === 'charge.succeeded')!.data.object as Stripe.Charge;
    expect(charge.payment_method_details?.card?.last4).toBe('4242');
    expect(charge.payment_method_details?.card?.exp_year).toBe(2034);

    const after = await fetch(session.url!);
    expect(await after.text()).toContain('Thanks, your payment is complete.');
  });

  it('shows "Your card was declined." for 0002 and changes nothing', async () => {
    const session = await newSession();
    const before = h.emulator.events().length;
    const response = await fetch(session.url!, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cardNumber: '4000000000000002', expiry: '12/34', cvc: '123' }),
    });
    expect(response.status).toBe(402);
    const html = await response.text();
    expect(html).toContain('role="alert">Your card was declined.</p>');
    expect(html).toContain('aria-invalid="true"');
    expect(h.emulator.events()).toHaveLength(before);
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).status).toBe('open');
  });

  it('rejects an expiry in the past with a message', async () => {
    const session = await newSession();
    const response = await fetch(session.url!, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ cardNumber: '4242424242424242', expiry: '01/20', cvc: '123' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('expiration date is in the past');
  });

  it('serves the controls over HTTP: complete-checkout', async () => {
    const session = await newSession();
    const response = await fetch(`${h.emulator.url}/_emulator/complete-checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: session.id, card: '4000000000000002' }),
    });
    expect(response.status).toBe(402);
    const ok = await fetch(`${h.emulator.url}/_emulator/complete-checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sessionId: session.id }),
    });
    expect(await ok.json()).toEqual({ redirectUrl: `http://app.test/ok?session_id=${session.id}` });
  });
});
