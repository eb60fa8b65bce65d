import { NO_API, type ChaosWireKit } from '../../chaosWireKit.js';
import { getPlan } from '../../plans.js';
import type { History, HistoryEvent, Rng } from '../../../reliability/histories.js';
import type { TrafficClasses } from '../../../reliability/trafficClasses.js';
import { inTimeOrder, type WireEvent } from '../../../reliability/wire.js';
import { createLemonSqueezyProcessor } from '../lemonSqueezyProcessor.js';
import { lemonSqueezyForeignTraffic } from './chaosForeignTraffic.js';
import { lsIdOf, lsTimeOf, lsWireEvent, variantOf } from './chaosWireEvent.js';
import { lsOrder, lsSubscription, lsSubscriptionInvoice, TEST_PLAN_ENV, TEST_STORE_ID, TEST_WEBHOOK_SECRET } from './lemonSqueezyPayloads.js';

// A history as Lemon Squeezy sends it: the documented order, subscription and subscription-invoice
// objects (lemonSqueezyPayloads.ts) with numeric ids, times from the history. What Lemon Squeezy really
// does on top: no event ids (the plugin derives a key from the body), a subscription's checkout is an
// order_created, then subscription_created followed by subscription_updated, a plan change is
// subscription_plan_changed and subscription_updated, a paid invoice that had failed is
// subscription_payment_success and _recovered, custom data is the checkout's (its plan goes stale
// after a plan change), and a twin is the same object resent in other bytes.

interface Encoding {
  workspaceId: string;
  customerId: string;
  subscriptionId: string;
  classes: TrafficClasses;
  /** The plan our checkout put in custom data: every later event of the subscription carries it. */
  checkoutPlan: string | null;
  stored: { planId: string; cancel: boolean } | null;
  initialPaid: boolean;
  failed: Set<string>;
  packsCreatedAt: Map<string, string>;
}

type Webhook = { name: string; data: Parameters<typeof lsWireEvent>[1]; custom: { workspaceId: string; planId: string } | null };

function webhooksOf(e: HistoryEvent, x: Encoding): Webhook[] {
  const d = e.delivery.data as any;
  const time = lsTimeOf(e.at);
  const ours = (planId: string) => ({ workspaceId: x.workspaceId, planId });
  switch (e.delivery.type) {
    case 'checkout.completed': {
      // A pack's order is its payment: it goes out with payment.succeeded.
      if (d.planId === 'credits10') return [];
      x.checkoutPlan = d.planId;
      const order = lsOrder({ id: lsIdOf(d.sessionId), customerId: x.customerId, variantId: variantOf(d.planId), total: getPlan(d.planId).price.amount, createdAt: time });
      return [{ name: 'order_created', data: order, custom: ours(d.planId) }];
    }
    case 'payment.succeeded': {
      const { moneyId, amount } = d.money;
      if (d.planId === 'credits10') {
        x.packsCreatedAt.set(moneyId, time);
        return [{ name: 'order_created', data: lsOrder({ id: lsIdOf(moneyId), customerId: x.customerId, variantId: variantOf('credits10'), total: amount, createdAt: time }), custom: ours('credits10') }];
      }
      const billingReason = x.initialPaid ? 'renewal' : 'initial';
      x.initialPaid = true;
      const invoice = lsSubscriptionInvoice({ id: lsIdOf(moneyId), subscriptionId: x.subscriptionId, customerId: x.customerId, total: amount, billingReason, updatedAt: time });
      const names = x.failed.has(moneyId) ? ['subscription_payment_success', 'subscription_payment_recovered'] : ['subscription_payment_success'];
      return names.map((name) => ({ name, data: invoice, custom: invoiceCustomData(x) }));
    }
    case 'payment.failed': {
      x.failed.add(d.money.moneyId);
      const invoice = lsSubscriptionInvoice({
        id: lsIdOf(d.money.moneyId),
        subscriptionId: x.subscriptionId,
        customerId: x.customerId,
        total: d.money.amount,
        status: 'pending',
        billingReason: 'renewal',
        updatedAt: time,
      });
      return [{ name: 'subscription_payment_failed', data: invoice, custom: invoiceCustomData(x) }];
    }
    case 'payment.refunded': {
      const createdAt = x.packsCreatedAt.get(d.moneyId);
      if (!createdAt) throw new Error(`lemon squeezy wire: refund of ${d.moneyId}, which is not a pack order of this history`);
      const order = lsOrder({
        id: lsIdOf(d.moneyId),
        customerId: x.customerId,
        variantId: variantOf('credits10'),
        total: 990,
        status: 'refunded',
        refundedAmount: d.amountRefunded,
        refundedAt: time,
        createdAt,
        updatedAt: time,
      });
      return [{ name: 'order_refunded', data: order, custom: ours('credits10') }];
    }
    case 'subscription.changed': {
      const s = d.subscription;
      const data = lsSubscription({
        id: x.subscriptionId,
        customerId: x.customerId,
        variantId: variantOf(s.planId),
        status: s.status === 'past_due' ? 'past_due' : s.cancelAtPeriodEnd ? 'cancelled' : 'active',
        cancelled: s.cancelAtPeriodEnd,
        renewsAt: lsTimeOf(Date.parse(s.currentPeriodEnd)),
        endsAt: s.cancelAtPeriodEnd ? lsTimeOf(Date.parse(s.currentPeriodEnd)) : null,
        updatedAt: time,
      });
      const names = subscriptionEventNames(x.stored, s);
      x.stored = { planId: s.planId, cancel: s.cancelAtPeriodEnd };
      return names.map((name) => ({ name, data, custom: ours(x.checkoutPlan ?? s.planId) }));
    }
    case 'subscription.ended': {
      const data = lsSubscription({
        id: x.subscriptionId,
        customerId: x.customerId,
        variantId: variantOf(d.planId),
        status: 'expired',
        cancelled: true,
        renewsAt: lsTimeOf(Date.parse(d.currentPeriodEnd)),
        endsAt: time,
        updatedAt: time,
      });
      return [{ name: 'subscription_expired', data, custom: ours(x.checkoutPlan ?? d.planId) }];
    }
    default:
      throw new Error(`lemon squeezy wire: no encoding for ${e.delivery.type}`);
  }
}

/** Lemon Squeezy documents custom data on orders and subscriptions, not on subscription invoices. */
function invoiceCustomData(x: Encoding): Webhook['custom'] {
  return x.classes.has('invoicesWithoutCustomData') ? null : { workspaceId: x.workspaceId, planId: x.checkoutPlan ?? 'pro' };
}

function subscriptionEventNames(stored: Encoding['stored'], s: { planId: string; cancelAtPeriodEnd: boolean }): string[] {
  if (!stored) return ['subscription_created', 'subscription_updated'];
  if (stored.cancel !== s.cancelAtPeriodEnd) return [s.cancelAtPeriodEnd ? 'subscription_cancelled' : 'subscription_resumed'];
  if (stored.planId !== s.planId) return ['subscription_plan_changed', 'subscription_updated'];
  return ['subscription_updated'];
}

/** Ours but not acted on (unknownTypes): the license key Lemon Squeezy issues with an order. */
function licenseKey(e: HistoryEvent, x: Encoding, rng: Rng): WireEvent[] {
  const d = e.delivery.data as any;
  if (e.delivery.type !== 'payment.succeeded' || d.planId !== 'credits10' || rng() >= 0.5) return [];
  const id = lsIdOf(`${d.money.moneyId}_key`);
  const time = lsTimeOf(e.at);
  const data = {
    type: 'license-keys',
    id,
    attributes: { store_id: Number(TEST_STORE_ID), customer_id: Number(x.customerId), order_id: Number(lsIdOf(d.money.moneyId)), key: `KEY-${id}`, status: 'active', created_at: time, updated_at: time },
  };
  return [
    {
      ...lsWireEvent('license_key_created', data as never, { workspaceId: x.workspaceId, planId: 'credits10' }, e.at),
      noEffect: { trafficClass: 'unknownTypes', recordedAs: ['processed', 'ignored'], moneyIds: [], subscriptionIds: [] },
    },
  ];
}

export const chaosWire: ChaosWireKit = {
  processor: 'lemonsqueezy',
  serverEnv: { CHAOS_PROCESSOR: 'lemonsqueezy', LEMONSQUEEZY_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET, ...TEST_PLAN_ENV },
  // The mapping makes no API call for these histories.
  createDriver: (env) => createLemonSqueezyProcessor(env, { apiKey: 'chaos_no_api', storeId: TEST_STORE_ID, apiUrl: NO_API, timeoutMs: 2_000 }),
  subscriptionIdOf: (id) => (id === null ? null : lsIdOf(id)),
  encode(history: History, rng: Rng, classes) {
    const x: Encoding = {
      workspaceId: history.workspaceId,
      customerId: lsIdOf(history.customerId),
      subscriptionId: lsIdOf(history.subscriptionId),
      classes,
      checkoutPlan: null,
      stored: null,
      initialPaid: false,
      failed: new Set(),
      packsCreatedAt: new Map(),
    };
    const events: WireEvent[] = [];
    for (const e of history.events) {
      for (const w of webhooksOf(e, x)) events.push(lsWireEvent(w.name, w.data, w.custom, e.at));
      if (classes.has('unknownTypes')) events.push(...licenseKey(e, x, rng));
    }
    events.push(...lemonSqueezyForeignTraffic(history, x.customerId, rng, classes));
    return { history, events: inTimeOrder(events) };
  },
};
