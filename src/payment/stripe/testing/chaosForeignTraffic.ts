import { stripeCharge, stripeCheckoutSession, stripeInvoice, stripeSubscription } from './stripeObjects.js';
import type { History, Rng } from '../../../reliability/histories.js';
import { seconds, stripeWireEvent } from './chaosWireEvent.js';
import type { TrafficClasses } from '../../../reliability/trafficClasses.js';
import { timeWithin, type NoEffect, type WireEvent } from '../../../reliability/wire.js';

// What else reaches the endpoint on a Stripe account (another app, `stripe trigger`, the Dashboard):
// none of it names our metadata or a price of ours, so none of it may change a workspace.

const FOREIGN_PRICE = 'price_another_app_monthly';
/** Not ours: ignored with a reason, or parked until a link arrives that never will. */
const NOT_OURS = ['ignored', 'parked'] as const;

/** Another customer's subscription, its invoice, a bare charge's refund and a payment link's checkout. */
function otherCustomer(history: History, rng: Rng): WireEvent[] {
  const tag = `${history.customerId}_other`;
  const customer = `cus_${tag}`;
  const subscription = `sub_${tag}`;
  const invoice = `in_${tag}`;
  const at = timeWithin(history, rng);
  const noEffect = (moneyIds: string[], recordedAs: readonly string[] = NOT_OURS): NoEffect => ({ trafficClass: 'otherCustomer', recordedAs, moneyIds, subscriptionIds: [subscription] });
  const s = stripeSubscription({ id: subscription, customer, priceId: FOREIGN_PRICE, currentPeriodEnd: seconds(at) + 30 * 86_400 });
  return [
    { ...stripeWireEvent('customer.subscription.created', s, `evt_${tag}_sub`, at), noEffect: noEffect([]) },
    { ...stripeWireEvent('customer.subscription.updated', { ...s, cancel_at_period_end: true }, `evt_${tag}_sub_upd`, at + 1000), noEffect: noEffect([]) },
    {
      ...stripeWireEvent('invoice.paid', stripeInvoice({ id: invoice, customer, priceId: FOREIGN_PRICE, amount: 4900, subscription: { id: subscription }, paidAt: seconds(at) }), `evt_${tag}_inv`, at),
      noEffect: noEffect([invoice]),
    },
    {
      ...stripeWireEvent('charge.refunded', stripeCharge({ id: `ch_${tag}`, customer: null, paymentIntent: `pi_${tag}`, amount: 4900 }), `evt_${tag}_refund`, at + 2000),
      noEffect: noEffect([`pi_${tag}`, `ch_${tag}`]),
    },
    {
      // A payment link's session: no metadata of ours. Acknowledged without events, or ignored.
      ...stripeWireEvent('checkout.session.completed', stripeCheckoutSession({ id: `cs_${tag}`, mode: 'payment', customer, ours: false, paymentIntent: `pi_${tag}_link` }), `evt_${tag}_cs`, at),
      noEffect: noEffect([`pi_${tag}_link`], ['processed', ...NOT_OURS]),
    },
  ];
}

/** Our workspace's customer on another app's price: its subscription and invoice name no workspace of ours. */
function otherProduct(history: History, rng: Rng): WireEvent[] {
  const tag = `${history.customerId}_product`;
  const subscription = `sub_${tag}`;
  const invoice = `in_${tag}`;
  const at = timeWithin(history, rng);
  const noEffect = (moneyIds: string[]): NoEffect => ({ trafficClass: 'otherProduct', recordedAs: NOT_OURS, moneyIds, subscriptionIds: [subscription] });
  const s = stripeSubscription({ id: subscription, customer: history.customerId, priceId: FOREIGN_PRICE, currentPeriodEnd: seconds(at) + 30 * 86_400 });
  return [
    { ...stripeWireEvent('customer.subscription.created', s, `evt_${tag}_sub`, at), noEffect: noEffect([]) },
    {
      ...stripeWireEvent('invoice.paid', stripeInvoice({ id: invoice, customer: history.customerId, priceId: FOREIGN_PRICE, amount: 4900, subscription: { id: subscription }, paidAt: seconds(at) }), `evt_${tag}_inv`, at + 1000),
      noEffect: noEffect([invoice]),
    },
    { ...stripeWireEvent('customer.subscription.deleted', { ...s, status: 'canceled', ended_at: seconds(at) + 2 }, `evt_${tag}_del`, at + 2000), noEffect: noEffect([]) },
  ];
}

export function stripeForeignTraffic(history: History, rng: Rng, classes: TrafficClasses): WireEvent[] {
  return [...(classes.has('otherCustomer') ? otherCustomer(history, rng) : []), ...(classes.has('otherProduct') ? otherProduct(history, rng) : [])];
}
