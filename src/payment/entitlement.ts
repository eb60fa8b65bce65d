import { coreEnv } from '../config/env.js';
import type { SubscriptionStatus } from './events.js';

const DAY_MS = 24 * 60 * 60 * 1000;

// The statuses under which the processor keeps the subscription going with access: trialing (a trial
// gives the plan's full access until it ends), active, and past_due while the processor retries the
// payment. Cancel-at-period-end keeps access until the processor ends the subscription. Engine guards
// use this (is another subscription still running?); "has an active plan" is hasAccess below.
const ENTITLED: ReadonlySet<SubscriptionStatus> = new Set(['trialing', 'active', 'past_due']);

export function isEntitled(status: SubscriptionStatus | null | undefined): boolean {
  return status != null && ENTITLED.has(status);
}

/** A subscription in one of these states never becomes active again: a new one is needed. */
export function isTerminal(status: SubscriptionStatus | null | undefined): boolean {
  return status === 'canceled' || status === 'incomplete_expired';
}

export interface AccessState {
  subscriptionStatus: SubscriptionStatus | null;
  pastDueSince: Date | null;
  graceExpiredAt: Date | null;
}

/** Dunning: when a past_due spell's access ends (PAYMENTS_DUNNING_GRACE_DAYS after it began). */
export function graceEndsAt(pastDueSince: Date, graceDays = coreEnv().PAYMENTS_DUNNING_GRACE_DAYS): Date {
  return new Date(pastDueSince.getTime() + graceDays * DAY_MS);
}

/**
 * THE rule for "has an active plan": an entitled status, except that past_due keeps access only for the
 * dunning grace. Derived from pastDueSince at read time, so access ends on time whether or not the
 * billing sweep has run; once the sweep recorded the end (graceExpiredAt) it stays ended, whatever a
 * caller's clock says, until the payment goes through (the engine then clears both).
 */
export function hasAccess(state: AccessState, now = new Date()): boolean {
  if (state.subscriptionStatus !== 'past_due') return isEntitled(state.subscriptionStatus);
  return state.graceExpiredAt === null && state.pastDueSince !== null && now < graceEndsAt(state.pastDueSince);
}
