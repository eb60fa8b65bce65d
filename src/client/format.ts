import type { Billing, Payment, Role } from './backend/types.js';
import { isPlanId, plans } from '../payment/plans.js';

const day = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium' });
const dayAndTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });

function formatDay(iso: string): string {
  return day.format(new Date(iso));
}

export function formatDayAndTime(iso: string): string {
  return dayAndTime.format(new Date(iso));
}

export function planName(planId: string | null): string {
  if (!planId) return 'No plan';
  return isPlanId(planId) ? plans[planId].name : planId;
}

export const roleLabels: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };
export const aRole: Record<Role, string> = { owner: 'an owner', admin: 'an admin', member: 'a member' };

/**
 * The subscription in words: a short status and the sentence that says what happens next.
 * `pastDueSince` is the first failed payment's time, when the caller could read the payments.
 */
export function subscriptionInWords(billing: Billing, pastDueSince?: string): { status: string; detail: string } {
  const periodEnd = billing.currentPeriodEnd ? formatDay(billing.currentPeriodEnd) : undefined;
  switch (billing.subscriptionStatus) {
    case null:
      return { status: 'No subscription', detail: 'Choose a plan on the pricing page.' };
    case 'trialing': {
      const trialEnd = billing.trialEnd ? formatDay(billing.trialEnd) : periodEnd;
      if (billing.cancelAtPeriodEnd) return { status: 'Trial, cancelling', detail: `Cancels on ${trialEnd}, when the trial ends.` };
      return { status: 'Trial', detail: trialEnd ? `Trial ends on ${trialEnd}; the first payment is taken then.` : 'In a free trial.' };
    }
    case 'active':
      if (billing.cancelAtPeriodEnd) return { status: 'Active, cancelling', detail: `Cancels on ${periodEnd}. Access continues until then.` };
      if (billing.pendingPlan) return { status: 'Active', detail: `Switches to ${planName(billing.pendingPlan)} on ${periodEnd}.` };
      return { status: 'Active', detail: periodEnd ? `Renews on ${periodEnd}.` : 'Active.' };
    case 'past_due': {
      const since = pastDueSince ? ` since ${formatDay(pastDueSince)}` : '';
      const access = !billing.hasActivePlan
        ? 'Access is suspended until it goes through'
        : billing.graceEndsAt
          ? `Access ends on ${formatDay(billing.graceEndsAt)} unless it goes through first`
          : 'Access continues meanwhile';
      return { status: 'Past due', detail: `Past due${since}: the last payment failed and the processor is retrying it. ${access}; update the card in the billing portal.` };
    }
    case 'unpaid':
      return { status: 'Unpaid', detail: 'The processor stopped retrying the payment: access is suspended until the invoice is paid.' };
    case 'paused':
      return { status: 'Paused', detail: 'Payments are paused, and so is access.' };
    case 'incomplete':
      return { status: 'Incomplete', detail: 'The first payment has not gone through yet.' };
    case 'incomplete_expired':
      return { status: 'Expired', detail: 'The first payment never completed: subscribe again to start over.' };
    case 'canceled':
      return { status: 'Cancelled', detail: periodEnd ? `Ended on ${periodEnd}.` : 'This subscription has ended.' };
  }
}

export type Tone = 'good' | 'warning' | 'bad' | 'neutral';

const paymentStatuses: Record<Payment['status'], { label: string; tone: Tone }> = {
  succeeded: { label: 'Paid', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
  refunded: { label: 'Refunded', tone: 'neutral' },
  partially_refunded: { label: 'Partly refunded', tone: 'neutral' },
  refund_before_payment: { label: 'Refund pending', tone: 'neutral' },
};

export function paymentStatus(status: Payment['status']): { label: string; tone: Tone } {
  return paymentStatuses[status];
}

/** When a past-due subscription started failing: the oldest failed payment since the last success. */
export function firstFailureSinceLastSuccess(payments: readonly Payment[]): string | undefined {
  let first: string | undefined;
  for (const payment of payments) {
    if (payment.status === 'succeeded') break;
    if (payment.status === 'failed') first = payment.occurredAt;
  }
  return first;
}
