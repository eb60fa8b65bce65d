import { runDueActions, type DueAction } from '../../../emulators/shared/scheduler.js';
import type { EmulatorContext } from './context.js';
import { firstItem } from './objects/subscription.js';
import { SECONDS_PER_DAY } from './periods.js';
import { idOf } from './refs.js';
import { cancelSubscription, renew, retryPayment } from './subscriptionLifecycle.js';

/** `customer.subscription.trial_will_end` comes 3 days before the trial ends. */
export const TRIAL_WILL_END_NOTICE_SECONDS = 3 * SECONDS_PER_DAY;

function dueActions(ctx: EmulatorContext): DueAction[] {
  const actions: DueAction[] = [];
  for (const record of ctx.store.checkoutSessions.values()) {
    const session = record.session;
    if (session.status === 'open') {
      actions.push({
        at: session.expires_at,
        rank: 0,
        run: () => {
          session.status = 'expired';
          session.url = null;
          ctx.events.emit('checkout.session.expired', session);
        },
      });
    }
  }
  for (const record of ctx.store.subscriptions.values()) {
    const subscription = record.subscription;
    if (subscription.status === 'canceled' || subscription.status === 'incomplete_expired') continue;
    if (subscription.status === 'trialing' && !record.trialWillEndSent && subscription.trial_end !== null) {
      actions.push({
        at: subscription.trial_end - TRIAL_WILL_END_NOTICE_SECONDS,
        rank: 1,
        run: () => {
          record.trialWillEndSent = true;
          ctx.events.emit('customer.subscription.trial_will_end', subscription);
        },
      });
    }
    const latest = idOf(subscription.latest_invoice);
    const open = latest ? ctx.store.invoices.get(latest) : undefined;
    if (subscription.status === 'past_due' && open?.invoice.status === 'open' && open.invoice.next_payment_attempt !== null) {
      actions.push({ at: open.invoice.next_payment_attempt, rank: 2, run: () => retryPayment(ctx, record, open) });
    }
    const item = firstItem(subscription);
    actions.push({
      at: item.current_period_end,
      rank: 3,
      run: () => (subscription.cancel_at_period_end ? cancelSubscription(ctx, record, 'cancellation_requested') : renew(ctx, record)),
    });
  }
  return actions;
}

/**
 * Runs everything scheduled up to `targetSec` in time order (renewals, retries, trial notices, period-end
 * cancellations, session expiry), each at its own time on the emulator clock, then leaves the clock there.
 */
export function advanceTo(ctx: EmulatorContext, targetSec: number): void {
  runDueActions(ctx.clock, targetSec, () => dueActions(ctx));
}
