import type { SubscriptionStatus } from './events.js';

// The one rule for "has an active plan". past_due keeps access while the processor retries the
// payment (its dunning decides when it becomes unpaid or canceled); cancel-at-period-end keeps access
// until the processor ends the subscription.
const ENTITLED: ReadonlySet<SubscriptionStatus> = new Set(['trialing', 'active', 'past_due']);

export function isEntitled(status: SubscriptionStatus | null | undefined): boolean {
  return status != null && ENTITLED.has(status);
}

/** A subscription in one of these states never becomes active again: a new one is needed. */
export function isTerminal(status: SubscriptionStatus | null | undefined): boolean {
  return status === 'canceled' || status === 'incomplete_expired';
}
