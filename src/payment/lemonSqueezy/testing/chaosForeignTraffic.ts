import { lsOrder, lsSubscription, lsSubscriptionInvoice } from './lemonSqueezyPayloads.js';
import { invoiceMoneyId, orderMoneyId } from '../webhook/moneyIds.js';
import type { History, Rng } from '../../../reliability/histories.js';
import { lsIdOf, lsTimeOf, lsWireEvent } from './chaosWireEvent.js';
import type { TrafficClass, TrafficClasses } from '../../../reliability/trafficClasses.js';
import { timeWithin, type WireEvent } from '../../../reliability/wire.js';

// What else a store sends to the endpoint: other products (variants that are not our plans), bought
// by other customers or by our workspace's own customer, without our custom data. None of it may
// change a workspace.

const OTHER_VARIANT = '990001';
const NOT_OURS = ['ignored', 'parked'] as const;

/** A purchase of another product: its order, subscription, first invoice and end. */
function otherProductPurchase(trafficClass: TrafficClass, tag: string, customerId: string, at: number): WireEvent[] {
  const order = lsIdOf(`${tag}_order`);
  const subscription = lsIdOf(`${tag}_sub`);
  const invoice = lsIdOf(`${tag}_invoice`);
  const noEffect = (moneyIds: string[], recordedAs: readonly string[] = NOT_OURS) => ({ trafficClass, recordedAs, moneyIds, subscriptionIds: [subscription] });
  const sub = (status: 'active' | 'expired', seconds: number) =>
    lsSubscription({ id: subscription, customerId, variantId: OTHER_VARIANT, status, renewsAt: lsTimeOf(at + 30 * 86_400_000), ...(status === 'expired' && { endsAt: lsTimeOf(at + seconds * 1000) }), updatedAt: lsTimeOf(at + seconds * 1000) });
  return [
    // An order of a product that is not one of our plans: acknowledged without events, or ignored.
    { ...lsWireEvent('order_created', lsOrder({ id: order, customerId, variantId: OTHER_VARIANT, total: 4900, createdAt: lsTimeOf(at) }), null, at), noEffect: noEffect([orderMoneyId(order)], ['processed', ...NOT_OURS]) },
    { ...lsWireEvent('subscription_created', sub('active', 0), null, at), noEffect: noEffect([]) },
    {
      ...lsWireEvent('subscription_payment_success', lsSubscriptionInvoice({ id: invoice, subscriptionId: subscription, customerId, total: 4900, updatedAt: lsTimeOf(at + 1000) }), null, at + 1000),
      noEffect: noEffect([invoiceMoneyId(invoice)]),
    },
    { ...lsWireEvent('subscription_expired', sub('expired', 2), null, at + 2000), noEffect: noEffect([]) },
  ];
}

export function lemonSqueezyForeignTraffic(history: History, customerId: string, rng: Rng, classes: TrafficClasses): WireEvent[] {
  const tag = history.customerId;
  return [
    ...(classes.has('otherCustomer') ? otherProductPurchase('otherCustomer', `${tag}_other`, lsIdOf(`${tag}_other_customer`), timeWithin(history, rng)) : []),
    ...(classes.has('otherProduct') ? otherProductPurchase('otherProduct', `${tag}_product`, customerId, timeWithin(history, rng)) : []),
  ];
}
