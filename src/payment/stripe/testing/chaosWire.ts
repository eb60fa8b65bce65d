import type Stripe from 'stripe';
import { NO_API, type ChaosWireKit } from '../../chaosWireKit.js';
import { allPlans } from '../../plans.js';
import type { History, HistoryEvent, Rng } from '../../../reliability/histories.js';
import { inTimeOrder, type WireEvent } from '../../../reliability/wire.js';
import { startStripeEmulator } from '../emulator/index.js';
import { createStripeProcessor } from '../stripeProcessor.js';
import { stripeForeignTraffic } from './chaosForeignTraffic.js';
import { priceOf, seconds, stripeWireEvent } from './chaosWireEvent.js';
import { TEST_PLAN_ENV, TEST_WEBHOOK_SECRET, stripeCharge, stripeCheckoutSession, stripeInvoice, stripeSubscription } from './stripeObjects.js';

// A history as Stripe (API 2026-10-28.endive) sends it: the objects of stripeObjects.ts with the
// history's ids, `created` = the history's time, signed per attempt. What Stripe really does on top:
// a pack's checkout also sends the post-payment invoice's invoice.paid (the mapper skips it: the money
// is the session's), an invoice is paid as invoice.paid and invoice.payment_succeeded, a subscription's
// first state is .created and the rest .updated, and a twin is the same object under a new event id.
// With olderApiVersion, about a third of them come in the 2024-06-20 shape (an endpoint made in the
// Dashboard of an older account): they must apply the same.

/** What a history's events carry, for building Stripe's objects of them. */
interface Ids {
  workspaceId: string;
  customer: string;
  subscription: string;
}

type Built = { type: string; object: unknown }[];

function objectsOf(e: HistoryEvent, ids: Ids, seen: { subscription: boolean; packs: Set<string> }): Built {
  const d = e.delivery.data as any;
  const { workspaceId, customer } = ids;
  const at = seconds(e.at);
  switch (e.delivery.type) {
    case 'checkout.completed':
      // A pack's session is its payment: it goes out with payment.succeeded.
      if (d.planId === 'credits10') return [];
      return [
        {
          type: 'checkout.session.completed',
          object: stripeCheckoutSession({ id: d.sessionId, mode: 'subscription', customer, workspaceId, planId: d.planId, subscription: ids.subscription, invoice: null, paymentIntent: null }),
        },
      ];
    case 'payment.succeeded': {
      const { moneyId, amount } = d.money;
      if (d.planId === 'credits10') {
        seen.packs.add(moneyId);
        const metadata = { workspaceId, planId: 'credits10' };
        const invoice = `in_pp_${moneyId}`;
        return [
          { type: 'checkout.session.completed', object: stripeCheckoutSession({ id: `cs_${moneyId}`, mode: 'payment', customer, workspaceId, planId: 'credits10', amountTotal: amount, paymentIntent: moneyId, invoice }) },
          { type: 'invoice.paid', object: stripeInvoice({ id: invoice, customer, priceId: priceOf('credits10'), amount, subscription: null, metadata, paidAt: at, billingReason: 'manual' }) },
        ];
      }
      const invoice = subscriptionInvoice(ids, d, { paidAt: at });
      return [
        { type: 'invoice.paid', object: invoice },
        { type: 'invoice.payment_succeeded', object: invoice },
      ];
    }
    case 'payment.failed':
      return [{ type: 'invoice.payment_failed', object: subscriptionInvoice(ids, d, { status: 'open' }) }];
    case 'payment.refunded':
      // Only packs are refunded in the histories: their charge carries our metadata, so the mapper needs
      // no API call. A subscription invoice's refund would need the invoice-payments lookup.
      if (!seen.packs.has(d.moneyId)) throw new Error(`stripe wire: refund of ${d.moneyId}, which is not a pack payment of this history`);
      return [{ type: 'charge.refunded', object: stripeCharge({ id: `ch_${d.moneyId}`, customer, paymentIntent: d.moneyId, amount: 990, amountRefunded: d.amountRefunded, metadata: { workspaceId, planId: 'credits10' } }) }];
    case 'subscription.changed': {
      const s = d.subscription;
      const type = seen.subscription ? 'customer.subscription.updated' : 'customer.subscription.created';
      seen.subscription = true;
      const object = stripeSubscription({
        id: s.subscriptionId,
        customer,
        priceId: priceOf(s.planId),
        status: s.status,
        workspaceId,
        planId: s.planId,
        currentPeriodEnd: seconds(Date.parse(s.currentPeriodEnd)),
        cancelAtPeriodEnd: s.cancelAtPeriodEnd,
      });
      return [{ type, object }];
    }
    case 'subscription.ended':
      return [
        {
          type: 'customer.subscription.deleted',
          object: stripeSubscription({
            id: d.subscriptionId,
            customer,
            priceId: priceOf(d.planId),
            status: 'canceled',
            workspaceId,
            planId: d.planId,
            currentPeriodEnd: seconds(Date.parse(d.currentPeriodEnd)),
            endedAt: at,
          }),
        },
      ];
    default:
      throw new Error(`stripe wire: no encoding for ${e.delivery.type}`);
  }
}

function subscriptionInvoice(ids: Ids, d: any, o: { paidAt?: number; status?: Stripe.Invoice.Status }): Stripe.Invoice {
  return stripeInvoice({
    id: d.money.moneyId,
    customer: ids.customer,
    priceId: priceOf(d.planId),
    amount: d.money.amount,
    subscription: { id: ids.subscription, workspaceId: ids.workspaceId, planId: d.planId },
    ...(o.status && { status: o.status }),
    ...(o.paidAt !== undefined && { paidAt: o.paidAt }),
  });
}

/** Ours but not acted on (unknownTypes): what Stripe sends around an invoice and a pack's charge. */
function unknownTypesOf(e: HistoryEvent, ids: Ids, rng: Rng): Built {
  const d = e.delivery.data as any;
  if (rng() >= 0.5) return [];
  if (e.delivery.type === 'payment.succeeded' && d.planId === 'credits10') {
    return [{ type: 'charge.succeeded', object: stripeCharge({ id: `ch_${d.money.moneyId}`, customer: ids.customer, paymentIntent: d.money.moneyId, amountRefunded: 0, metadata: { workspaceId: ids.workspaceId, planId: 'credits10' } }) }];
  }
  if (e.delivery.type === 'payment.succeeded' || e.delivery.type === 'payment.failed') {
    return [{ type: 'invoice.finalized', object: subscriptionInvoice(ids, d, { status: 'open' }) }];
  }
  return [];
}

export const chaosWire: ChaosWireKit = {
  processor: 'stripe',
  serverEnv: { CHAOS_PROCESSOR: 'stripe', STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PLAN_ENV },
  // CHAOS_API_URL: the emulator of startApi (the mapper looks up the invoice of a bare charge's payment intent).
  createDriver: (env) => createStripeProcessor(env, { apiKey: 'sk_test_chaos_no_api', apiUrl: env.CHAOS_API_URL ?? NO_API, maxNetworkRetries: 0, timeoutMs: 2_000 }),
  subscriptionIdOf: (id) => id,
  // The emulator knows none of the charges: a bare charge's payment intent paid no invoice of ours.
  async startApi() {
    const prices = allPlans.map((plan) => ({ id: priceOf(plan.id), productName: plan.name, unitAmount: plan.price.amount, currency: plan.price.currency, ...('interval' in plan.price && { interval: plan.price.interval }) }));
    const emulator = await startStripeEmulator({ webhookSecret: TEST_WEBHOOK_SECRET, prices });
    return { env: { CHAOS_API_URL: emulator.url }, stop: () => emulator.stop() };
  },
  encode(history: History, rng: Rng, classes) {
    const ids: Ids = { workspaceId: history.workspaceId, customer: history.customerId, subscription: history.subscriptionId };
    const seen = { subscription: false, packs: new Set<string>() };
    const events: WireEvent[] = [];
    for (const e of history.events) {
      const extra = classes.has('unknownTypes') ? unknownTypesOf(e, ids, rng) : [];
      for (const [i, { type, object }] of objectsOf(e, ids, seen).entries()) {
        events.push(stripeWireEvent(type, object, `${e.delivery.id}_${i}`, e.at, { legacy: classes.has('olderApiVersion') && rng() < 0.3 }));
      }
      for (const [i, { type, object }] of extra.entries()) {
        events.push({ ...stripeWireEvent(type, object, `${e.delivery.id}_x${i}`, e.at), noEffect: { trafficClass: 'unknownTypes', recordedAs: ['processed', 'ignored'], moneyIds: [], subscriptionIds: [] } });
      }
    }
    events.push(...stripeForeignTraffic(history, rng, classes));
    return { history, events: inTimeOrder(events) };
  },
};
