import type Stripe from 'stripe';
import type { BillingEvent } from '../events.js';
import type { CustomerStateRequest } from '../paymentProcessor.js';
import type { ProcessorPlanIds } from '../processorPlanIds.js';
import { callStripe } from './stripeErrors.js';
import { fromUnixSeconds } from './stripeSubscription.js';
import { mapChargeRefunded } from './webhook/mapCharge.js';
import { mapCheckoutSessionCompleted } from './webhook/mapCheckoutSession.js';
import type { MapContext } from './webhook/mapContext.js';
import { eventsOf } from './webhook/mapping.js';
import { mapInvoicePaid, mapInvoicePaymentFailed } from './webhook/mapInvoice.js';
import { mapSubscriptionChanged, mapSubscriptionDeleted } from './webhook/mapSubscription.js';

/** How many of each kind of object are read: the newest (Stripe lists newest first), one page. */
const RECENT = 100;

type MapDeps = Pick<MapContext, 'planIds' | 'findInvoiceOfPaymentIntent'>;

/**
 * A workspace's billing at Stripe now (fetchCustomerState), read by customer (Stripe customers are one
 * per workspace): its subscriptions, invoices, one-time checkout sessions and charges, each mapped by the
 * webhook mapper of the event that would have announced it, so money ids, plans and refs are the
 * webhooks' own. The subscription is stamped with Stripe's time of the read (the response's `Date`), so
 * it wins over every event created before the read and loses to any created after it. Objects that are
 * not ours (another product's invoice on the same customer) are skipped, as their webhooks are ignored.
 */
export async function fetchStripeCustomerState(stripe: Stripe, request: CustomerStateRequest, deps: MapDeps): Promise<BillingEvent[]> {
  const customer = request.customerId;
  if (!customer) return [];
  const [subscriptions, invoices, sessions, charges] = await callStripe(`Could not read customer ${customer}`, () =>
    Promise.all([
      stripe.subscriptions.list({ customer, status: 'all', limit: RECENT }),
      stripe.invoices.list({ customer, limit: RECENT }),
      stripe.checkout.sessions.list({ customer, limit: RECENT }),
      stripe.charges.list({ customer, limit: RECENT }),
    ]),
  );
  const now = processorTime(subscriptions.lastResponse.headers);
  const ctx = (eventType: string, occurredAt: Date): MapContext => ({ eventType, occurredAt, ...deps });
  const events: BillingEvent[] = [];

  const subscription = currentSubscription(subscriptions.data, request.subscriptionId, deps.planIds);
  if (subscription?.status === 'canceled') events.push(...eventsOf(mapSubscriptionDeleted(subscription, ctx('customer.subscription.deleted', now))));
  else if (subscription) events.push(...eventsOf(mapSubscriptionChanged(subscription, ctx('customer.subscription.updated', now))));

  // Money oldest first, as it happened; a failed attempt's time is its invoice's.
  for (const invoice of [...invoices.data].reverse()) {
    if (invoice.status === 'paid') events.push(...eventsOf(mapInvoicePaid(invoice, ctx('invoice.paid', fromUnixSeconds(invoice.created)))));
    else if (invoice.attempt_count > 0) events.push(...eventsOf(mapInvoicePaymentFailed(invoice, ctx('invoice.payment_failed', fromUnixSeconds(invoice.created)))));
  }
  const paidAt = new Map(charges.data.filter((c) => c.paid).map((c) => [idOf(c.payment_intent), fromUnixSeconds(c.created)]));
  for (const session of [...sessions.data].reverse()) {
    if (session.status !== 'complete' || session.mode !== 'payment') continue;
    const at = paidAt.get(idOf(session.payment_intent)) ?? fromUnixSeconds(session.created);
    // The customer is linked already (we listed by it): only the money.
    events.push(...eventsOf(mapCheckoutSessionCompleted(session, ctx('checkout.session.completed', at))).filter((e) => e.type === 'payment.succeeded'));
  }
  for (const charge of [...charges.data].reverse()) {
    if (charge.amount_refunded > 0) events.push(...eventsOf(await mapChargeRefunded(charge, ctx('charge.refunded', now))));
  }
  return events;
}

/**
 * The subscription the workspace is on, among the customer's with one of our prices: a running one
 * (the stored one first, else the newest), else the stored or the newest ended one.
 */
function currentSubscription(subscriptions: Stripe.Subscription[], storedId: string | null, planIds: ProcessorPlanIds): Stripe.Subscription | null {
  const ours = subscriptions.filter((s) => s.items.data[0] && planIds.findPlan(s.items.data[0].price.id));
  const running = ours.filter((s) => s.status !== 'canceled' && s.status !== 'incomplete_expired');
  const stored = (list: Stripe.Subscription[]) => list.find((s) => s.id === storedId);
  return stored(running) ?? running[0] ?? stored(ours) ?? ours[0] ?? null;
}

/** Stripe's clock: the response's `Date` header (whole seconds, like event times); ours if it has none. */
function processorTime(headers: Record<string, string>): Date {
  const date = new Date(headers['date'] ?? NaN);
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

function idOf(value: string | { id: string } | null): string | null {
  return typeof value === 'string' ? value : (value?.id ?? null);
}
