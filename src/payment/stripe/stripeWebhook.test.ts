import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BillingEvent } from '../events.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { WebhookPayloadError, WebhookSignatureError } from '../webhookErrors.js';
import {
  nowSeconds,
  signStripeDelivery,
  stripeCharge,
  stripeCheckoutSession,
  stripeEvent,
  stripeInvoice,
  stripeSubscription,
  TEST_PLAN_ENV,
  TEST_PRICES,
  TEST_WEBHOOK_SECRET,
} from './testing/stripeObjects.js';
import type { PaidInvoice } from './webhook/moneyIds.js';
import { parseStripeWebhook } from './webhook/stripeWebhook.js';

const planIds = loadProcessorPlanIds(TEST_PLAN_ENV);
let lookups: string[];
let invoicesOfPaymentIntents: Record<string, PaidInvoice>;
beforeEach(() => {
  lookups = [];
  invoicesOfPaymentIntents = {};
});

const deps = {
  webhookSecret: TEST_WEBHOOK_SECRET,
  planIds,
  async findInvoiceOfPaymentIntent(paymentIntentId: string) {
    lookups.push(paymentIntentId);
    return invoicesOfPaymentIntents[paymentIntentId] ?? null;
  },
};

function deliver(body: string, headers: Record<string, string>) {
  return parseStripeWebhook(Buffer.from(body), headers, deps);
}

/** Signs the event as Stripe would and returns its normalized events. */
async function eventsOf(event: unknown): Promise<BillingEvent[]> {
  const { body, headers } = signStripeDelivery(event);
  return (await deliver(body, headers)).events;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const CREATED = 1_795_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe('signature verification', () => {
  const event = stripeEvent('invoice.paid', stripeInvoice({ subscription: { id: 'sub_sig', workspaceId: 'ws_sig' } }));

  it('accepts a delivery signed with the secret and returns the event id, type and parsed payload', async () => {
    const { body, headers } = signStripeDelivery(event);
    const delivery = await deliver(body, headers);
    expect(delivery).toMatchObject({ eventId: event.id, type: 'invoice.paid', payload: JSON.parse(body) });
    expect(delivery.events).toHaveLength(1);
  });

  it('refuses a tampered body', async () => {
    const { body, headers } = signStripeDelivery(event);
    const error = await rejection(deliver(body.replace('"amount_paid": 2900', '"amount_paid": 1'), headers));
    expect(body).toContain('"amount_paid": 2900');
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.message).toMatch(/does not match the payload/);
  });

  it('refuses the same data re-serialized with different whitespace', async () => {
    const { body, headers } = signStripeDelivery(event);
    const compact = JSON.stringify(JSON.parse(body));
    expect(compact).not.toBe(body);
    expect(await rejection(deliver(compact, headers))).toBeInstanceOf(WebhookSignatureError);
  });

  it('refuses a delivery signed with another secret, without echoing either secret', async () => {
    const { body, headers } = signStripeDelivery(event, { secret: 'whsec_someone_else' });
    const error = await rejection(deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.message).not.toContain(TEST_WEBHOOK_SECRET);
    expect(error.message).not.toContain('whsec_someone_else');
  });

  it('refuses a timestamp older than 300 seconds and accepts one just inside', async () => {
    const stale = signStripeDelivery(event, { timestamp: nowSeconds() - 301 });
    const error = await rejection(deliver(stale.body, stale.headers));
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error.message).toMatch(/more than 300 seconds old/);
    const recent = signStripeDelivery(event, { timestamp: nowSeconds() - 250 });
    expect((await deliver(recent.body, recent.headers)).eventId).toBe(event.id);
  });

  it('refuses a delivery without the stripe-signature header, or with a malformed one', async () => {
    const { body } = signStripeDelivery(event);
    const missing = await rejection(deliver(body, { 'content-type': 'application/json' }));
    expect(missing).toBeInstanceOf(WebhookSignatureError);
    expect(missing.message).toBe('Missing stripe-signature header: not a Stripe webhook');
    const malformed = await rejection(deliver(body, { 'stripe-signature': 'garbage' }));
    expect(malformed).toBeInstanceOf(WebhookSignatureError);
    expect(malformed.message).toMatch(/Malformed stripe-signature header/);
  });

  it('refuses a signed body that is not JSON as a payload error', async () => {
    const { body, headers } = signStripeDelivery(null, { body: 'not json at all' });
    const error = await rejection(deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookPayloadError);
  });
});

describe('payload validation', () => {
  it('names a used field that a signed payload lacks', async () => {
    const invoice: Partial<Stripe.Invoice> = { ...stripeInvoice({ subscription: { id: 'sub_x', workspaceId: 'ws_x' } }) };
    delete invoice.amount_paid;
    const error = await rejection(eventsOf(stripeEvent('invoice.paid', invoice as Stripe.Invoice)));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.message).toMatch(/^Stripe invoice\.paid payload invalid: data\.object\.amount_paid: /);
  });

  it('names nested fields and the envelope', async () => {
    const subscription = stripeSubscription({ workspaceId: 'ws_x' });
    const item: Partial<Stripe.SubscriptionItem> = { ...subscription.items.data[0]! };
    delete item.current_period_end;
    subscription.items.data = [item as Stripe.SubscriptionItem];
    const nested = await rejection(eventsOf(stripeEvent('customer.subscription.updated', subscription)));
    expect(nested.message).toMatch(/data\.object\.items\.data\.0\.current_period_end: /);

    const envelope: Partial<Stripe.Event> = { ...stripeEvent('invoice.paid', stripeInvoice()) };
    delete envelope.created;
    const error = await rejection(eventsOf(envelope));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.message).toMatch(/: created: /);
  });

  it('refuses a subscription whose price is not one of our plans, or whose status is unknown', async () => {
    const unknownPrice = await rejection(eventsOf(stripeEvent('customer.subscription.updated', stripeSubscription({ priceId: 'price_someone_elses' }))));
    expect(unknownPrice).toBeInstanceOf(WebhookPayloadError);
    expect(unknownPrice.message).toMatch(/data\.object\.items\.data\.0\.price\.id: price price_someone_elses is not one of our plans/);
    const unknownStatus = await rejection(eventsOf(stripeEvent('customer.subscription.updated', stripeSubscription({ priceId: TEST_PRICES.pro, status: 'dormant' }))));
    expect(unknownStatus.message).toMatch(/data\.object\.status: /);
  });

  it('refuses a session of ours with an unknown plan or an unsupported mode', async () => {
    const plan = await rejection(eventsOf(stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'subscription', planId: 'gold' }))));
    expect(plan.message).toMatch(/data\.object\.metadata\.planId: unknown plan "gold"/);
    const mode = await rejection(eventsOf(stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'setup', planId: 'pro' }))));
    expect(mode.message).toMatch(/data\.object\.mode: "setup"/);
  });

  it('refuses an event that names neither a workspace nor a customer', async () => {
    const error = await rejection(eventsOf(stripeEvent('invoice.paid', stripeInvoice({ customer: null }))));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    expect(error.message).toMatch(/names no workspace/);
  });
});

describe('checkout.session.*', () => {
  it('maps a completed subscription checkout to checkout.completed only (its money comes with invoice.paid)', async () => {
    const session = stripeCheckoutSession({ mode: 'subscription', customer: 'cus_sub', workspaceId: 'ws_1', planId: 'hobby' });
    expect(await eventsOf(stripeEvent('checkout.session.completed', session))).toEqual([
      { type: 'checkout.completed', ref: { workspaceId: 'ws_1', customerId: 'cus_sub' }, customerId: 'cus_sub', sessionId: session.id, planId: 'hobby' },
    ]);
  });

  it('maps a paid one-time checkout to checkout.completed plus the payment, under the payment intent id', async () => {
    const session = stripeCheckoutSession({ mode: 'payment', customer: 'cus_pay', workspaceId: 'ws_2', paymentIntent: 'pi_pack', invoice: 'in_pack', currency: 'EUR' });
    expect(await eventsOf(stripeEvent('checkout.session.completed', session, { created: CREATED }))).toEqual([
      { type: 'checkout.completed', ref: { workspaceId: 'ws_2', customerId: 'cus_pay' }, customerId: 'cus_pay', sessionId: session.id, planId: 'credits10' },
      {
        type: 'payment.succeeded',
        ref: { workspaceId: 'ws_2', customerId: 'cus_pay' },
        money: { moneyId: 'pi_pack', amount: 990, currency: 'eur' },
        planId: 'credits10',
        paidAt: at(CREATED),
      },
    ]);
  });

  it('waits for async_payment_succeeded when a one-time checkout completes unpaid, then pays under the same id', async () => {
    const session = stripeCheckoutSession({ mode: 'payment', workspaceId: 'ws_3', paymentIntent: 'pi_sepa', paymentStatus: 'unpaid' });
    expect((await eventsOf(stripeEvent('checkout.session.completed', session))).map((e) => e.type)).toEqual(['checkout.completed']);
    const paid = await eventsOf(stripeEvent('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' }));
    expect(paid).toMatchObject([{ type: 'payment.succeeded', money: { moneyId: 'pi_sepa', amount: 990 }, planId: 'credits10' }]);
    const failed = await eventsOf(stripeEvent('checkout.session.async_payment_failed', session, { created: CREATED }));
    expect(failed).toMatchObject([{ type: 'payment.failed', money: { moneyId: 'pi_sepa' }, failedAt: at(CREATED) }]);
  });

  it('grants a free (100% discounted) pack under the invoice id when there is no payment intent', async () => {
    const session = stripeCheckoutSession({ mode: 'payment', paymentStatus: 'no_payment_required', paymentIntent: null, invoice: 'in_free', amountTotal: 0 });
    expect(await eventsOf(stripeEvent('checkout.session.completed', session))).toMatchObject([
      { type: 'checkout.completed' },
      { type: 'payment.succeeded', money: { moneyId: 'in_free', amount: 0 } },
    ]);
  });

  it('takes the workspace from client_reference_id when metadata lacks it', async () => {
    const session = stripeCheckoutSession({ mode: 'subscription', customer: 'cus_c', workspaceId: null });
    session.client_reference_id = 'ws_from_reference';
    session.metadata = { planId: 'pro' };
    expect(await eventsOf(stripeEvent('checkout.session.completed', session))).toMatchObject([{ ref: { workspaceId: 'ws_from_reference', customerId: 'cus_c' } }]);
  });

  it('acknowledges a session this plugin did not create without events', async () => {
    expect(await eventsOf(stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'payment', ours: false })))).toEqual([]);
  });
});

describe('invoice.*', () => {
  it('maps invoice.paid of a subscription to payment.succeeded under the invoice id', async () => {
    const invoice = stripeInvoice({ id: 'in_sub', customer: 'cus_i', amount: 2900, priceId: TEST_PRICES.pro, subscription: { id: 'sub_i', workspaceId: 'ws_i' }, paidAt: CREATED - 5 });
    expect(await eventsOf(stripeEvent('invoice.paid', invoice, { created: CREATED }))).toEqual([
      {
        type: 'payment.succeeded',
        ref: { workspaceId: 'ws_i', customerId: 'cus_i' },
        money: { moneyId: 'in_sub', amount: 2900, currency: 'usd' },
        planId: 'pro',
        paidAt: at(CREATED - 5),
      },
    ]);
  });

  it('finds the workspace by customer when the subscription carries no workspace id; a foreign price has no plan', async () => {
    const invoice = stripeInvoice({ customer: 'cus_only', priceId: 'price_one_off', subscription: { id: 'sub_j' } });
    expect(await eventsOf(stripeEvent('invoice.paid', invoice))).toMatchObject([{ ref: { customerId: 'cus_only' }, planId: null }]);
    expect((await eventsOf(stripeEvent('invoice.paid', invoice)))[0]!.ref).not.toHaveProperty('workspaceId');
  });

  it('skips the post-payment invoice of a one-time checkout (the session already recorded that money)', async () => {
    const checkoutInvoice = stripeInvoice({ priceId: TEST_PRICES.credits10, amount: 990, metadata: { workspaceId: 'ws_k', planId: 'credits10' } });
    expect(await eventsOf(stripeEvent('invoice.paid', checkoutInvoice))).toEqual([]);
    // Recognised by its price alone too, should metadata be missing.
    expect(await eventsOf(stripeEvent('invoice.paid', stripeInvoice({ priceId: TEST_PRICES.credits10, amount: 990 })))).toEqual([]);
    // A one-off invoice for something else is still money.
    expect(await eventsOf(stripeEvent('invoice.paid', stripeInvoice({ priceId: 'price_consulting' })))).toMatchObject([{ type: 'payment.succeeded', planId: null }]);
  });

  it('acknowledges invoice.payment_succeeded without events (invoice.paid is the one path)', async () => {
    const delivery = signStripeDelivery(stripeEvent('invoice.payment_succeeded', stripeInvoice({ subscription: { id: 'sub_l', workspaceId: 'ws_l' } })));
    expect(await deliver(delivery.body, delivery.headers)).toMatchObject({ type: 'invoice.payment_succeeded', events: [] });
  });

  it('maps invoice.payment_failed with amount due and the best reason available', async () => {
    const invoice = stripeInvoice({ id: 'in_fail', customer: 'cus_f', status: 'open', amount: 2900, subscription: { id: 'sub_f', workspaceId: 'ws_f' } });
    expect(await eventsOf(stripeEvent('invoice.payment_failed', invoice, { created: CREATED }))).toEqual([
      {
        type: 'payment.failed',
        ref: { workspaceId: 'ws_f', customerId: 'cus_f' },
        money: { moneyId: 'in_fail', amount: 2900, currency: 'usd' },
        planId: 'pro',
        failedAt: at(CREATED),
        reason: null,
      },
    ]);
    const finalization = { ...invoice, last_finalization_error: { type: 'card_error', message: 'Your card has insufficient funds.' } };
    expect(await eventsOf(stripeEvent('invoice.payment_failed', finalization))).toMatchObject([{ reason: 'Your card has insufficient funds.' }]);
    const attempt = {
      ...invoice,
      payments: { object: 'list', has_more: false, url: '/v1/invoice_payments', data: [{ payment: { type: 'payment_intent', payment_intent: { id: 'pi_f', last_payment_error: { message: 'Your card was declined.' } } } }] },
    };
    expect(await eventsOf(stripeEvent('invoice.payment_failed', attempt as unknown as Stripe.Invoice))).toMatchObject([{ reason: 'Your card was declined.' }]);
  });
});

describe('customer.subscription.*', () => {
  const statuses = ['trialing', 'active', 'past_due', 'canceled', 'unpaid', 'incomplete', 'incomplete_expired', 'paused'] as const;

  it.each(statuses)('maps status %s one to one', async (status) => {
    const subscription = stripeSubscription({ id: 'sub_s', customer: 'cus_s', workspaceId: 'ws_s', priceId: TEST_PRICES.hobby, status, currentPeriodEnd: CREATED + 86_400 });
    expect(await eventsOf(stripeEvent('customer.subscription.updated', subscription, { created: CREATED }))).toEqual([
      {
        type: 'subscription.changed',
        ref: { workspaceId: 'ws_s', customerId: 'cus_s' },
        subscription: {
          subscriptionId: 'sub_s',
          planId: 'hobby',
          status,
          cancelAtPeriodEnd: false,
          currentPeriodEnd: at(CREATED + 86_400),
          trialEnd: null,
          occurredAt: at(CREATED),
        },
      },
    ]);
  });

  it.each(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.trial_will_end'] as const)('maps %s to a snapshot stamped with the event time', async (type) => {
    const subscription = stripeSubscription({ workspaceId: 'ws_t', priceId: TEST_PRICES.pro, status: 'trialing', trialEnd: CREATED + 3 * 86_400 });
    expect(await eventsOf(stripeEvent(type, subscription, { created: CREATED }))).toMatchObject([
      { type: 'subscription.changed', subscription: { status: 'trialing', trialEnd: at(CREATED + 3 * 86_400), occurredAt: at(CREATED), planId: 'pro' } },
    ]);
  });

  it('treats cancel_at_period_end, and a set cancel_at, as cancel at period end', async () => {
    const cancelAtPeriodEnd = async (o: { cancelAtPeriodEnd?: boolean; cancelAt?: number | null }) => {
      const [event] = await eventsOf(stripeEvent('customer.subscription.updated', stripeSubscription({ workspaceId: 'ws_c', priceId: TEST_PRICES.pro, ...o })));
      return event?.type === 'subscription.changed' ? event.subscription.cancelAtPeriodEnd : undefined;
    };
    expect(await cancelAtPeriodEnd({})).toBe(false);
    expect(await cancelAtPeriodEnd({ cancelAtPeriodEnd: true })).toBe(true);
    expect(await cancelAtPeriodEnd({ cancelAt: CREATED + 86_400 })).toBe(true);
  });

  it('maps customer.subscription.deleted to subscription.ended with its final plan and period end', async () => {
    const subscription = stripeSubscription({
      id: 'sub_d',
      customer: 'cus_d',
      workspaceId: 'ws_d',
      priceId: TEST_PRICES.hobby,
      status: 'canceled',
      currentPeriodEnd: CREATED - 2,
      endedAt: CREATED - 2,
    });
    expect(await eventsOf(stripeEvent('customer.subscription.deleted', subscription, { created: CREATED }))).toEqual([
      {
        type: 'subscription.ended',
        ref: { workspaceId: 'ws_d', customerId: 'cus_d' },
        subscriptionId: 'sub_d',
        planId: 'hobby',
        currentPeriodEnd: at(CREATED - 2),
        endedAt: at(CREATED - 2),
        occurredAt: at(CREATED),
      },
    ]);
  });

  it('still ends a subscription whose price is not one of our plans (plan unknown: null)', async () => {
    const subscription = stripeSubscription({ id: 'sub_u', workspaceId: 'ws_u', priceId: 'price_not_ours', status: 'canceled' });
    expect(await eventsOf(stripeEvent('customer.subscription.deleted', subscription, { created: CREATED }))).toMatchObject([
      { type: 'subscription.ended', subscriptionId: 'sub_u', planId: null },
    ]);
  });
});

describe('charge.refunded', () => {
  it('refunds a one-time checkout under its payment intent, with the cumulative amount and no API call', async () => {
    const charge = stripeCharge({ customer: 'cus_r', paymentIntent: 'pi_pack', amount: 990, amountRefunded: 500, metadata: { workspaceId: 'ws_r', planId: 'credits10' } });
    expect(await eventsOf(stripeEvent('charge.refunded', charge, { created: CREATED }))).toEqual([
      { type: 'payment.refunded', ref: { workspaceId: 'ws_r', customerId: 'cus_r' }, moneyId: 'pi_pack', amountRefunded: 500, currency: 'usd', refundedAt: at(CREATED) },
    ]);
    expect(lookups).toEqual([]);
  });

  it("refunds a subscription invoice's charge under the invoice it paid", async () => {
    invoicesOfPaymentIntents.pi_renewal = { invoiceId: 'in_renewal', oneTimeCheckout: false };
    const charge = stripeCharge({ customer: 'cus_r2', paymentIntent: 'pi_renewal', amount: 2900 });
    expect(await eventsOf(stripeEvent('charge.refunded', charge))).toMatchObject([{ ref: { customerId: 'cus_r2' }, moneyId: 'in_renewal', amountRefunded: 2900 }]);
    expect(lookups).toEqual(['pi_renewal']);
  });

  it('keeps the payment intent id when the invoice found is a one-time checkout invoice, or when none is found', async () => {
    invoicesOfPaymentIntents.pi_pack_no_metadata = { invoiceId: 'in_checkout', oneTimeCheckout: true };
    expect(await eventsOf(stripeEvent('charge.refunded', stripeCharge({ paymentIntent: 'pi_pack_no_metadata' })))).toMatchObject([{ moneyId: 'pi_pack_no_metadata' }]);
    expect(await eventsOf(stripeEvent('charge.refunded', stripeCharge({ paymentIntent: 'pi_unknown' })))).toMatchObject([{ moneyId: 'pi_unknown' }]);
    expect(await eventsOf(stripeEvent('charge.refunded', stripeCharge({ id: 'ch_bare', paymentIntent: null })))).toMatchObject([{ moneyId: 'ch_bare' }]);
    expect(lookups).toEqual(['pi_pack_no_metadata', 'pi_unknown']);
  });
});

describe('other event types', () => {
  it('acknowledges them with no events, keeping the id, type and payload for the delivery log', async () => {
    const event = { ...stripeEvent('invoice.paid', stripeInvoice()), type: 'customer.tax_id.created', data: { object: { id: 'txi_1', object: 'tax_id' } } };
    const { body, headers } = signStripeDelivery(event);
    expect(await deliver(body, headers)).toEqual({ eventId: event.id, type: 'customer.tax_id.created', events: [], payload: JSON.parse(body) });
  });
});
