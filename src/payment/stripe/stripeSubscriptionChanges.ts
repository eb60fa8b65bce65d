import type Stripe from 'stripe';
import { ProcessorError, type ProcessorDriver } from '../paymentProcessor.js';
import { callStripe } from './stripeErrors.js';

type SubscriptionChanges = Required<Pick<ProcessorDriver, 'changeSubscriptionPlan' | 'cancelSubscription' | 'resumeSubscription'>>;

/**
 * An owner's changes to a Stripe subscription. Each call only asks Stripe; the state the app keeps
 * follows from `customer.subscription.updated` / `.deleted` through the engine. Asking for what the
 * subscription already has is harmless: Stripe sends no event for an update that changes nothing.
 */
export function stripeSubscriptionChanges(stripe: Stripe): SubscriptionChanges {
  return {
    async changeSubscriptionPlan(subscriptionId, priceId, { prorate }) {
      const what = `Could not change the plan of subscription ${subscriptionId}`;
      // The item is replaced in place (one price per subscription in this plugin): its id is needed.
      const subscription = await callStripe(what, () => stripe.subscriptions.retrieve(subscriptionId));
      const item = subscription.items.data[0];
      if (!item) throw new ProcessorError('api', `${what}: the subscription has no items`);
      if (item.price.id === priceId) return;
      // Prorated: the unused time of the old price is credited and the new one's charged on the next
      // invoice. Not prorated (a downgrade deferred to the period end): the next renewal bills the new
      // price, nothing is credited for the period already paid (access stays on it until then).
      await callStripe(what, () =>
        stripe.subscriptions.update(subscriptionId, {
          items: [{ id: item.id, price: priceId }],
          proration_behavior: prorate ? 'create_prorations' : 'none',
        }),
      );
    },
    async cancelSubscription(subscriptionId, { atPeriodEnd }) {
      const what = `Could not cancel subscription ${subscriptionId}`;
      if (atPeriodEnd) {
        await callStripe(what, () => stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true }));
      } else {
        await callStripe(what, () => stripe.subscriptions.cancel(subscriptionId));
      }
    },
    async resumeSubscription(subscriptionId) {
      const what = `Could not resume subscription ${subscriptionId}`;
      const subscription = await callStripe(what, () => stripe.subscriptions.retrieve(subscriptionId));
      // A cancellation at a set date (cancel_at, from the dashboard or the API) reads as cancel-at-period-end
      // too (stripeSubscription.ts); it is undone by clearing cancel_at, the period-end one by the flag.
      if (subscription.cancel_at_period_end) {
        await callStripe(what, () => stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: false }));
      } else if (subscription.cancel_at !== null) {
        await callStripe(what, () => stripe.subscriptions.update(subscriptionId, { cancel_at: '' }));
      }
    },
  };
}
