import type { Subscription } from '@lemonsqueezy/lemonsqueezy.js';
import type { SubscriptionStatus } from '../events.js';

export type LemonSqueezyStatus = Subscription['data']['attributes']['status'];

/**
 * Lemon Squeezy's statuses in ours. `cancelled` is special: Lemon Squeezy's "cancelled" is a grace
 * period that lasts until `ends_at` - the subscription still runs, it just will not renew - so it maps
 * to `active` with cancelAtPeriodEnd (see snapshotFromSubscription); `expired` is the end.
 * ('pause' is in the SDK's type next to 'paused'; it is not a documented status, but harmless to read.)
 */
export const LEMON_SQUEEZY_SUBSCRIPTION_STATUS = {
  on_trial: 'trialing',
  active: 'active',
  paused: 'paused',
  pause: 'paused',
  past_due: 'past_due',
  unpaid: 'unpaid',
  cancelled: 'active',
  expired: 'canceled',
} as const satisfies Record<LemonSqueezyStatus, SubscriptionStatus>;

export const lemonSqueezySubscriptionStatuses = Object.keys(LEMON_SQUEEZY_SUBSCRIPTION_STATUS) as [LemonSqueezyStatus, ...LemonSqueezyStatus[]];
