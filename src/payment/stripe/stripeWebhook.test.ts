import type Stripe from 'stripe';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BillingEvent, ParsedDelivery } from '../events.js';
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
import { inApiVersion20240620, LEGACY_API_VERSION } from './testing/apiVersion20240620.js';
import { PAYLOAD_SHAPES, UNKNOWN_FIELDS } from './testing/fullShapes.js';
import { STRIPE_API_VERSION } from './stripeClient.js';
import type { PaidInvoice } from './webhook/moneyIds.js';
import { mappedStripeEventTypes, parseStripeWebhook } from './webhook/stripeWebhook.js';

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

/** Signs the event as Stripe would and returns what the mapping made of it. */
async function delivered(event: unknown): Promise<ParsedDelivery> {
  const { body, headers } = signStripeDelivery(event);
  return deliver(body, headers);
}

/** The normalized events of an event of ours (neither ignored nor unreadable). */
async function eventsOf(event: unknown): Promise<BillingEvent[]> {
  const delivery = await delivered(event);
  expect(delivery).not.toHaveProperty('ignoredReason');
  expect(delivery).not.toHaveProperty('unreadable');
  return delivery.events;
}

/** Why the mapping ignored an event, asserting it has no events. */
async function ignoredReasonOf(event: unknown): Promise<string> {
  const delivery = await delivered(event);
  expect(delivery.events).toEqual([]);
  expect(delivery).not.toHaveProperty('unreadable');
  expect(delivery.ignoredReason).toEqual(expect.any(String));
  return delivery.ignoredReason!;
}

/** The error of an event of ours that does not read, asserting it has no events. */
async function unreadableOf(event: unknown): Promise<string> {
  const delivery = await delivered(event);
  expect(delivery.events).toEqual([]);
  expect(delivery).not.toHaveProperty('ignoredReason');
  expect(delivery.unreadable).toEqual(expect.any(String));
  return delivery.unreadable!;
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

  it('refuses a signed body that is not JSON, or an event without an id, as a payload error (nothing to store)', async () => {
    const { body, headers } = signStripeDelivery(null, { body: 'not json at all' });
    const error = await rejection(deliver(body, headers));
    expect(error).toBeInstanceOf(WebhookPayloadError);
    const noId: Partial<Stripe.Event> = { ...stripeEvent('invoice.paid', stripeInvoice()) };
    delete noId.id;
    expect((await rejection(delivered(noId))).message).toMatch(/^Stripe webhook payload invalid: id: /);
  });

  it('acknowledges a signed v2 thin event as ignored, and still refuses an unsigned one', async () => {
    const thin = { id: 'evt_thin_1', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', created: '2026-12-01T10:00:00.000Z', related_object: { id: 'mtr_1', type: 'billing.meter', url: '/v1/billing/meters/mtr_1' } };
    expect(await ignoredReasonOf(thin)).toMatch(/thin \(v2\) event/);
    const { body } = signStripeDelivery(thin);
    expect(await rejection(deliver(body, { 'stripe-signature': 't=1,v1=00' }))).toBeInstanceOf(WebhookSignatureError);
  });
});


describe('relevance before shape: what is not ours is ignored with the reason', () => {
  it.each(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.trial_will_end', 'customer.subscription.deleted'] as const)(
    'ignores %s on a price that is not one of our plans, naming no workspace of ours',
    async (type) => {
      const reason = await ignoredReasonOf(stripeEvent(type, stripeSubscription({ id: 'sub_foreign', priceId: 'price_other_app' })));
      expect(reason).toBe('subscription sub_foreign is on price price_other_app, not one of our plans, and names no workspace of ours');
    },
  );

  it('ignores invoices none of whose lines is one of our prices, when they name no workspace of ours', async () => {
    for (const type of ['invoice.paid', 'invoice.payment_failed', 'invoice.payment_succeeded'] as const) {
      const reason = await ignoredReasonOf(stripeEvent(type, stripeInvoice({ id: 'in_foreign', priceId: 'price_consulting', subscription: { id: 'sub_other' } })));
      expect(reason).toBe('invoice in_foreign bills price price_consulting, none of our plans, and names no workspace of ours');
    }
  });

  it('ignores checkout sessions without our metadata, even with a client_reference_id (payment links and pricing tables set one)', async () => {
    const session = stripeCheckoutSession({ id: 'cs_other', mode: 'payment', ours: false });
    session.client_reference_id = 'crm-order-77';
    for (const type of ['checkout.session.completed', 'checkout.session.async_payment_succeeded', 'checkout.session.async_payment_failed'] as const) {
      expect(await ignoredReasonOf(stripeEvent(type, session))).toMatch(/^checkout session cs_other was not created by this plugin/);
    }
  });

  it('ignores a refunded charge with no customer, no workspace and no invoice of ours, after asking for its invoice', async () => {
    const reason = await ignoredReasonOf(stripeEvent('charge.refunded', stripeCharge({ id: 'ch_guest', customer: null, paymentIntent: 'pi_guest' })));
    expect(reason).toBe('charge ch_guest names no customer and no workspace of ours, and paid no invoice of ours');
    expect(lookups).toEqual(['pi_guest']);
    expect(await ignoredReasonOf(stripeEvent('charge.refunded', stripeCharge({ id: 'ch_bare_guest', customer: null, paymentIntent: null })))).toMatch(/^charge ch_bare_guest /);
  });

  it('takes the customer of the invoice a customerless charge paid', async () => {
    invoicesOfPaymentIntents.pi_tied = { invoiceId: 'in_tied', oneTimeCheckout: false, customerId: 'cus_tied' };
    expect(await eventsOf(stripeEvent('charge.refunded', stripeCharge({ customer: null, paymentIntent: 'pi_tied' })))).toMatchObject([{ ref: { customerId: 'cus_tied' }, moneyId: 'in_tied' }]);
  });

  it('ignores event types the plugin does not act on, keeping the id, type and payload for the delivery log', async () => {
    const event = { ...stripeEvent('invoice.paid', stripeInvoice()), type: 'customer.tax_id.created', data: { object: { id: 'txi_1', object: 'tax_id' } } };
    const { body, headers } = signStripeDelivery(event);
    expect(await deliver(body, headers)).toEqual({
      eventId: event.id,
      type: 'customer.tax_id.created',
      events: [],
      payload: JSON.parse(body),
      ignoredReason: 'Stripe event type customer.tax_id.created is not one this plugin acts on',
    });
  });

  it('ignores a foreign object of any shape: relevance reads leniently before the shape is checked', async () => {
    const broken = { id: 'sub_odd', object: 'subscription', items: 'not a list', metadata: 42 };
    expect(await ignoredReasonOf({ ...stripeEvent('customer.subscription.updated', stripeSubscription()), data: { object: broken } })).toMatch(/^subscription sub_odd is on no price/);
  });
});

describe('unreadable: an event of ours that does not read is stored failed', () => {
  it('names a used field that a signed payload lacks', async () => {
    const invoice: Partial<Stripe.Invoice> = { ...stripeInvoice({ subscription: { id: 'sub_x', workspaceId: 'ws_x' } }) };
    delete invoice.amount_paid;
    expect(await unreadableOf(stripeEvent('invoice.paid', invoice as Stripe.Invoice))).toMatch(/^Stripe invoice\.paid payload invalid: data\.object\.amount_paid: /);
  });

  it('names nested fields and the envelope', async () => {
    const subscription = stripeSubscription({ workspaceId: 'ws_x' });
    const item: Partial<Stripe.SubscriptionItem> = { ...subscription.items.data[0]! };
    delete item.current_period_end;
    subscription.items.data = [item as Stripe.SubscriptionItem];
    expect(await unreadableOf(stripeEvent('customer.subscription.updated', subscription))).toMatch(/data\.object\.items\.data\.0\.current_period_end: /);

    const envelope: Partial<Stripe.Event> = { ...stripeEvent('invoice.paid', stripeInvoice()) };
    delete envelope.created;
    expect(await unreadableOf(envelope)).toMatch(/^Stripe invoice\.paid payload invalid: created: /);
  });

  it('keeps a subscription of our workspace on a price that is not one of our plans (PAYMENTS_*_PLAN_ID is wrong), or with an unknown status', async () => {
    const unknownPrice = await unreadableOf(stripeEvent('customer.subscription.updated', stripeSubscription({ workspaceId: 'ws_misconfigured', priceId: 'price_live_pro' })));
    expect(unknownPrice).toMatch(/data\.object\.items\.data\.0\.price\.id: price price_live_pro is not one of our plans \(check PAYMENTS_\*_PLAN_ID\)/);
    const unknownStatus = await unreadableOf(stripeEvent('customer.subscription.updated', stripeSubscription({ priceId: TEST_PRICES.pro, status: 'dormant' as Stripe.Subscription.Status })));
    expect(unknownStatus).toMatch(/data\.object\.status: /);
  });

  it('keeps a session of ours with an unknown plan, no plan or an unsupported mode', async () => {
    expect(await unreadableOf(stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'subscription', planId: 'gold' })))).toMatch(/data\.object\.metadata\.planId: unknown plan "gold"/);
    expect(await unreadableOf(stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'setup', planId: 'pro' })))).toMatch(/data\.object\.mode: "setup"/);
    const noPlan = stripeCheckoutSession({ mode: 'subscription', workspaceId: 'ws_np' });
    noPlan.metadata = { workspaceId: 'ws_np' };
    expect(await unreadableOf(stripeEvent('checkout.session.completed', noPlan))).toMatch(/data\.object\.metadata\.planId: required on a session of ours/);
  });

  it('keeps an invoice on one of our prices that names neither a workspace nor a customer', async () => {
    expect(await unreadableOf(stripeEvent('invoice.paid', stripeInvoice({ customer: null, priceId: TEST_PRICES.pro })))).toMatch(/names no workspace/);
  });

  it('says which API versions differ and how to fix the endpoint when an event of another version does not read', async () => {
    const subscription: Partial<Stripe.Subscription> = { ...stripeSubscription({ workspaceId: 'ws_v' }) };
    delete subscription.status;
    const event = { ...stripeEvent('customer.subscription.updated', subscription as Stripe.Subscription), api_version: '2022-11-15' };
    const error = await unreadableOf(event);
    expect(error).toContain('data.object.status');
    expect(error).toContain(`The event is in Stripe API version 2022-11-15; this plugin reads ${STRIPE_API_VERSION}`);
    expect(error).toContain('npm run billing:webhook-endpoint');
    expect(error).toContain('npm run billing:replay');
    delete (event as Partial<typeof event>).api_version;
    expect(await unreadableOf(event)).not.toContain('API version');
  });
});

describe.each(PAYLOAD_SHAPES)('$shape payloads', (shapes) => {
  describe('checkout.session.*', () => {
    it('maps a completed subscription checkout to checkout.completed only (its money comes with invoice.paid)', async () => {
      const session = shapes.checkoutSession({ mode: 'subscription', customer: 'cus_sub', workspaceId: 'ws_1', planId: 'hobby' });
      expect(await eventsOf(stripeEvent('checkout.session.completed', session))).toEqual([
        { type: 'checkout.completed', ref: { workspaceId: 'ws_1', customerId: 'cus_sub' }, customerId: 'cus_sub', sessionId: session.id, planId: 'hobby' },
      ]);
    });

    it('maps a paid one-time checkout to checkout.completed plus the payment, under the payment intent id', async () => {
      const session = shapes.checkoutSession({ mode: 'payment', customer: 'cus_pay', workspaceId: 'ws_2', paymentIntent: 'pi_pack', invoice: 'in_pack', currency: 'EUR' });
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
      const session = shapes.checkoutSession({ mode: 'payment', workspaceId: 'ws_3', paymentIntent: 'pi_sepa', paymentStatus: 'unpaid' });
      expect((await eventsOf(stripeEvent('checkout.session.completed', session))).map((e) => e.type)).toEqual(['checkout.completed']);
      const paid = await eventsOf(stripeEvent('checkout.session.async_payment_succeeded', { ...session, payment_status: 'paid' }));
      expect(paid).toMatchObject([{ type: 'payment.succeeded', money: { moneyId: 'pi_sepa', amount: 990 }, planId: 'credits10' }]);
      const failed = await eventsOf(stripeEvent('checkout.session.async_payment_failed', session, { created: CREATED }));
      expect(failed).toMatchObject([{ type: 'payment.failed', money: { moneyId: 'pi_sepa' }, failedAt: at(CREATED) }]);
    });

    it('grants a free (100% discounted) pack under the invoice id when there is no payment intent', async () => {
      const session = shapes.checkoutSession({ mode: 'payment', paymentStatus: 'no_payment_required', paymentIntent: null, invoice: 'in_free', amountTotal: 0 });
      expect(await eventsOf(stripeEvent('checkout.session.completed', session))).toMatchObject([
        { type: 'checkout.completed' },
        { type: 'payment.succeeded', money: { moneyId: 'in_free', amount: 0 } },
      ]);
    });

    it('takes the workspace from client_reference_id when metadata lacks it', async () => {
      const session = shapes.checkoutSession({ mode: 'subscription', customer: 'cus_c', workspaceId: null });
      session.client_reference_id = 'ws_from_reference';
      session.metadata = { planId: 'pro' };
      expect(await eventsOf(stripeEvent('checkout.session.completed', session))).toMatchObject([{ ref: { workspaceId: 'ws_from_reference', customerId: 'cus_c' } }]);
    });

    it('ignores a session this plugin did not create', async () => {
      expect(await ignoredReasonOf(stripeEvent('checkout.session.completed', shapes.checkoutSession({ mode: 'payment', ours: false })))).toMatch(/not created by this plugin/);
    });
  });

  describe('invoice.*', () => {
    it('maps invoice.paid of a subscription to payment.succeeded under the invoice id', async () => {
      const invoice = shapes.invoice({ id: 'in_sub', customer: 'cus_i', amount: 2900, priceId: TEST_PRICES.pro, subscription: { id: 'sub_i', workspaceId: 'ws_i' }, paidAt: CREATED - 5 });
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

    it('finds the workspace by customer for an invoice on one of our prices that carries no workspace id', async () => {
      const invoice = shapes.invoice({ customer: 'cus_only', priceId: TEST_PRICES.hobby, subscription: { id: 'sub_j' } });
      const [event] = await eventsOf(stripeEvent('invoice.paid', invoice));
      expect(event).toMatchObject({ ref: { customerId: 'cus_only' }, planId: 'hobby' });
      expect(event!.ref).not.toHaveProperty('workspaceId');
    });

    it("records our workspace's one-off invoice on a price that is not a plan as money without a plan", async () => {
      const invoice = shapes.invoice({ customer: 'cus_o', priceId: 'price_consulting', metadata: { workspaceId: 'ws_o' } });
      expect(await eventsOf(stripeEvent('invoice.paid', invoice))).toMatchObject([{ type: 'payment.succeeded', ref: { workspaceId: 'ws_o' }, planId: null }]);
    });

    it('skips the post-payment invoice of a one-time checkout (the session already recorded that money)', async () => {
      const checkoutInvoice = shapes.invoice({ priceId: TEST_PRICES.credits10, amount: 990, metadata: { workspaceId: 'ws_k', planId: 'credits10' } });
      expect(await eventsOf(stripeEvent('invoice.paid', checkoutInvoice))).toEqual([]);
      // Recognised by its price alone too, should metadata be missing.
      expect(await eventsOf(stripeEvent('invoice.paid', shapes.invoice({ priceId: TEST_PRICES.credits10, amount: 990 })))).toEqual([]);
    });

    it('acknowledges invoice.payment_succeeded of ours without events (invoice.paid is the one path)', async () => {
      const delivery = await delivered(stripeEvent('invoice.payment_succeeded', shapes.invoice({ subscription: { id: 'sub_l', workspaceId: 'ws_l' } })));
      expect(delivery).toMatchObject({ type: 'invoice.payment_succeeded', events: [] });
      expect(delivery).not.toHaveProperty('ignoredReason');
    });

    it('maps invoice.payment_failed with amount due and the best reason available', async () => {
      const invoice = shapes.invoice({ id: 'in_fail', customer: 'cus_f', status: 'open', amount: 2900, subscription: { id: 'sub_f', workspaceId: 'ws_f' } });
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
      expect(await eventsOf(stripeEvent('invoice.payment_failed', finalization as Stripe.Invoice))).toMatchObject([{ reason: 'Your card has insufficient funds.' }]);
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
      const subscription = shapes.subscription({ id: 'sub_s', customer: 'cus_s', workspaceId: 'ws_s', priceId: TEST_PRICES.hobby, status, currentPeriodEnd: CREATED + 86_400 });
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
            quantity: 1,
            occurredAt: at(CREATED),
          },
        },
      ]);
    });

    it.each(['customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.trial_will_end'] as const)('maps %s to a snapshot stamped with the event time', async (type) => {
      const subscription = shapes.subscription({ workspaceId: 'ws_t', priceId: TEST_PRICES.pro, status: 'trialing', trialEnd: CREATED + 3 * 86_400 });
      expect(await eventsOf(stripeEvent(type, subscription, { created: CREATED }))).toMatchObject([
        { type: 'subscription.changed', subscription: { status: 'trialing', trialEnd: at(CREATED + 3 * 86_400), occurredAt: at(CREATED), planId: 'pro' } },
      ]);
    });

    it('maps a subscription on one of our prices without our metadata (made in the Dashboard) by its customer', async () => {
      expect(await eventsOf(stripeEvent('customer.subscription.created', shapes.subscription({ customer: 'cus_dash', priceId: TEST_PRICES.pro })))).toMatchObject([
        { type: 'subscription.changed', ref: { customerId: 'cus_dash' }, subscription: { planId: 'pro' } },
      ]);
    });

    it('treats cancel_at_period_end, and a set cancel_at, as cancel at period end', async () => {
      const cancelAtPeriodEnd = async (o: { cancelAtPeriodEnd?: boolean; cancelAt?: number | null }) => {
        const [event] = await eventsOf(stripeEvent('customer.subscription.updated', shapes.subscription({ workspaceId: 'ws_c', priceId: TEST_PRICES.pro, ...o })));
        return event?.type === 'subscription.changed' ? event.subscription.cancelAtPeriodEnd : undefined;
      };
      expect(await cancelAtPeriodEnd({})).toBe(false);
      expect(await cancelAtPeriodEnd({ cancelAtPeriodEnd: true })).toBe(true);
      expect(await cancelAtPeriodEnd({ cancelAt: CREATED + 86_400 })).toBe(true);
    });

    it('maps customer.subscription.deleted to subscription.ended with its final plan and period end', async () => {
      const subscription = shapes.subscription({
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

    it("still ends our workspace's subscription whose price is not one of our plans (plan unknown: null)", async () => {
      const subscription = shapes.subscription({ id: 'sub_u', workspaceId: 'ws_u', priceId: 'price_not_ours', status: 'canceled' });
      expect(await eventsOf(stripeEvent('customer.subscription.deleted', subscription, { created: CREATED }))).toMatchObject([
        { type: 'subscription.ended', subscriptionId: 'sub_u', planId: null },
      ]);
    });
  });

  describe('charge.refunded', () => {
    it('refunds a one-time checkout under its payment intent, with the cumulative amount and no API call', async () => {
      const charge = shapes.charge({ customer: 'cus_r', paymentIntent: 'pi_pack', amount: 990, amountRefunded: 500, metadata: { workspaceId: 'ws_r', planId: 'credits10' } });
      expect(await eventsOf(stripeEvent('charge.refunded', charge, { created: CREATED }))).toEqual([
        { type: 'payment.refunded', ref: { workspaceId: 'ws_r', customerId: 'cus_r' }, moneyId: 'pi_pack', amountRefunded: 500, currency: 'usd', refundedAt: at(CREATED) },
      ]);
      expect(lookups).toEqual([]);
    });

    it("refunds a subscription invoice's charge under the invoice it paid", async () => {
      invoicesOfPaymentIntents.pi_renewal = { invoiceId: 'in_renewal', oneTimeCheckout: false };
      const charge = shapes.charge({ customer: 'cus_r2', paymentIntent: 'pi_renewal', amount: 2900 });
      expect(await eventsOf(stripeEvent('charge.refunded', charge))).toMatchObject([{ ref: { customerId: 'cus_r2' }, moneyId: 'in_renewal', amountRefunded: 2900 }]);
      expect(lookups).toEqual(['pi_renewal']);
    });

    it('keeps the payment intent id when the invoice found is a one-time checkout invoice, or when none is found', async () => {
      invoicesOfPaymentIntents.pi_pack_no_metadata = { invoiceId: 'in_checkout', oneTimeCheckout: true };
      expect(await eventsOf(stripeEvent('charge.refunded', shapes.charge({ paymentIntent: 'pi_pack_no_metadata' })))).toMatchObject([{ moneyId: 'pi_pack_no_metadata' }]);
      expect(await eventsOf(stripeEvent('charge.refunded', shapes.charge({ paymentIntent: 'pi_unknown' })))).toMatchObject([{ moneyId: 'pi_unknown' }]);
      expect(await eventsOf(stripeEvent('charge.refunded', shapes.charge({ id: 'ch_bare', paymentIntent: null })))).toMatchObject([{ moneyId: 'ch_bare' }]);
      expect(lookups).toEqual(['pi_pack_no_metadata', 'pi_unknown']);
    });
  });
});

describe('full-shape payloads', () => {
  it("carry every field of Stripe's published example, unknown fields at the top and nested, and other integrations' metadata", () => {
    const [full] = PAYLOAD_SHAPES.filter((s) => s.shape === 'full');
    const subscription = full!.subscription({ workspaceId: 'ws_f' }) as unknown as Record<string, unknown>;
    expect(subscription).toMatchObject({ ...UNKNOWN_FIELDS, pause_collection: { behavior: 'mark_uncollectible' }, metadata: { workspaceId: 'ws_f', other_integration_ref: 'crm-1234' } });
    expect((subscription.items as Stripe.ApiList<Record<string, unknown>>).data[0]).toMatchObject({ ...UNKNOWN_FIELDS, billing_thresholds: { usage_gte: null } });
    const invoice = full!.invoice({ subscription: { id: 'sub_f' } }) as unknown as Record<string, unknown>;
    expect(invoice).toMatchObject({ subscription: null, customer_tax_ids: [], shipping_cost: { amount_total: 1117121693 } });
  });
});

describe(`API version ${LEGACY_API_VERSION}: older shapes map to the same events as the pinned version`, () => {
  const subscription = () => stripeSubscription({ id: 'sub_v', customer: 'cus_v', workspaceId: 'ws_v', priceId: TEST_PRICES.pro, currentPeriodEnd: CREATED + 30 * 86_400 });
  const invoice = (status: Stripe.Invoice.Status = 'paid') =>
    stripeInvoice({ id: 'in_v', customer: 'cus_v', status, priceId: TEST_PRICES.pro, subscription: { id: 'sub_v', workspaceId: 'ws_v' }, paidAt: CREATED });
  const session = (mode: 'payment' | 'subscription') => stripeCheckoutSession({ id: 'cs_v', mode, customer: 'cus_v', workspaceId: 'ws_v', paymentIntent: 'pi_v', invoice: 'in_vp' });
  const events: [string, () => Stripe.Event, { chargeInvoice?: string }?][] = [
    ['checkout.session.completed', () => stripeEvent('checkout.session.completed', session('subscription'), { created: CREATED })],
    ['checkout.session.completed (payment)', () => stripeEvent('checkout.session.completed', session('payment'), { created: CREATED })],
    ['checkout.session.async_payment_succeeded', () => stripeEvent('checkout.session.async_payment_succeeded', session('payment'), { created: CREATED })],
    ['checkout.session.async_payment_failed', () => stripeEvent('checkout.session.async_payment_failed', session('payment'), { created: CREATED })],
    ['invoice.paid', () => stripeEvent('invoice.paid', invoice(), { created: CREATED })],
    ['invoice.payment_succeeded', () => stripeEvent('invoice.payment_succeeded', invoice(), { created: CREATED })],
    ['invoice.payment_failed', () => stripeEvent('invoice.payment_failed', invoice('open'), { created: CREATED })],
    ['customer.subscription.created', () => stripeEvent('customer.subscription.created', subscription(), { created: CREATED })],
    ['customer.subscription.updated', () => stripeEvent('customer.subscription.updated', subscription(), { created: CREATED })],
    ['customer.subscription.trial_will_end', () => stripeEvent('customer.subscription.trial_will_end', subscription(), { created: CREATED })],
    ['customer.subscription.deleted', () => stripeEvent('customer.subscription.deleted', { ...subscription(), status: 'canceled' }, { created: CREATED })],
    ['charge.refunded', () => stripeEvent('charge.refunded', stripeCharge({ customer: 'cus_v', paymentIntent: 'pi_renewal_v' }), { created: CREATED }), { chargeInvoice: 'in_v' }],
  ];

  it('covers every event type the mapper acts on', () => {
    expect(new Set(events.map(([name]) => name.split(' ')[0]))).toEqual(new Set(mappedStripeEventTypes));
  });

  it.each(events)('%s', async (_name, build, legacy) => {
    invoicesOfPaymentIntents.pi_renewal_v = { invoiceId: 'in_v', oneTimeCheckout: false };
    const pinned = build();
    const old = inApiVersion20240620(pinned, legacy);
    expect(old).toMatchObject({ api_version: '2024-06-20' });
    const expected = await eventsOf(pinned);
    lookups = [];
    expect(await eventsOf(old)).toEqual(expected);
    // The older charge names its invoice: no lookup.
    expect(lookups).toEqual([]);
  });

  it('ignores what is not ours in the older shapes too', async () => {
    const foreign = inApiVersion20240620(stripeEvent('invoice.paid', stripeInvoice({ id: 'in_fv', priceId: 'price_other', subscription: { id: 'sub_fv' } })));
    expect(await ignoredReasonOf(foreign)).toMatch(/^invoice in_fv bills price price_other, none of our plans/);
  });
});
