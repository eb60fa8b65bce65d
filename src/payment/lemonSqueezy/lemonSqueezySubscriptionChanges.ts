import { cancelSubscription, updateSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import { ProcessorError, type ProcessorDriver } from '../paymentProcessor.js';
import type { LemonSqueezyCaller } from './lemonSqueezyErrors.js';

type SubscriptionChanges = Required<Pick<ProcessorDriver, 'changeSubscriptionPlan' | 'cancelSubscription' | 'resumeSubscription'>>;

/**
 * An owner's changes to a Lemon Squeezy subscription. Each call only asks Lemon Squeezy; the state the
 * app keeps follows from the `subscription_*` webhooks through the engine. Lemon Squeezy sends nothing
 * for a change that changes nothing (cancelling a cancelled subscription), so repeating one is harmless.
 *
 * Lemon Squeezy's API cancels only one way: `cancelled`, a grace period until `ends_at` (the end of the
 * paid period), after which it expires. It has no "end now" (pausing with mode `void` stops charging
 * but keeps the subscription; a refund is separate money), so cancelling now is refused as unsupported.
 */
export function lemonSqueezySubscriptionChanges(caller: LemonSqueezyCaller): SubscriptionChanges {
  return {
    async changeSubscriptionPlan(subscriptionId, variantId, { prorate }) {
      const what = `Could not change the plan of subscription ${subscriptionId}`;
      if (!/^\d+$/.test(variantId)) throw new ProcessorError('invalid_request', `${what}: variant id "${variantId}" is not a number (check PAYMENTS_*_PLAN_ID)`);
      // Lemon Squeezy prorates by default: the difference is charged (or credited) with the next renewal.
      // disableProrations (a downgrade deferred to the period end): the new price from the next renewal.
      await caller.call(what, () => updateSubscription(subscriptionId, { variantId: Number(variantId), ...(!prorate && { disableProrations: true }) }));
    },
    async cancelSubscription(subscriptionId, { atPeriodEnd }) {
      const what = `Could not cancel subscription ${subscriptionId}`;
      if (!atPeriodEnd) {
        throw new ProcessorError(
          'unsupported',
          `${what} now: Lemon Squeezy can only cancel at the end of the paid period (the subscription runs until then); cancel with atPeriodEnd instead`,
        );
      }
      await caller.call(what, () => cancelSubscription(subscriptionId));
    },
    async resumeSubscription(subscriptionId) {
      await caller.call(`Could not resume subscription ${subscriptionId}`, () => updateSubscription(subscriptionId, { cancelled: false }));
    },
  };
}
