import type { BilledWorkspace } from '../workspaceBilling.js';
import { isTerminal } from '../entitlement.js';
import type { SubscriptionStatus } from '../events.js';
import { isPlanId } from '../plans.js';

type Stored = Pick<BilledWorkspace, 'subscriptionId' | 'subscriptionPlan' | 'pendingPlan' | 'currentPeriodEnd'>;
interface Incoming {
  subscriptionId: string;
  planId: string | null;
  status: SubscriptionStatus;
  currentPeriodEnd: Date | null;
}

/**
 * A downgrade deferred to the period end (changePlan stores `pendingPlan` before asking): the processor
 * switches the price at once without proration, so it bills the cheaper plan from the next renewal,
 * while the workspace keeps the plan it paid for until the period ends. So, for the same subscription:
 *
 * - the period rolled over (a later period end): the processor's plan now applies, nothing is pending;
 * - the subscription ended first: it ends on the plan paid for, nothing is pending;
 * - same period, the pending plan or the paid one (the processor's answer to the request, or a state
 *   from before it): the paid plan stays, the downgrade stays pending;
 * - same period, another plan (e.g. switched in the processor's portal): that change wins at once.
 */
export function resolvePlan(stored: Stored, next: Incoming): { planId: string | null; pendingPlan: string | null } {
  const pending = stored.pendingPlan;
  if (!pending || stored.subscriptionId !== next.subscriptionId) return { planId: next.planId, pendingPlan: null };
  if (isTerminal(next.status)) return { planId: stored.subscriptionPlan, pendingPlan: null };
  const rolledOver = next.currentPeriodEnd !== null && stored.currentPeriodEnd !== null && next.currentPeriodEnd > stored.currentPeriodEnd;
  if (!rolledOver && (next.planId === pending || next.planId === stored.subscriptionPlan)) {
    return { planId: stored.subscriptionPlan, pendingPlan: pending };
  }
  return { planId: next.planId, pendingPlan: null };
}

/**
 * The plan a payment for `subscriptionId` was billed on, for processors whose payments name no plan:
 * the processor's current plan for the workspace's subscription (the pending one once a downgrade was
 * asked for: the processor already bills it). Null for a subscription the workspace does not hold (yet:
 * the processor's first invoice may arrive before the subscription; it names its plan another way).
 */
export function billedPlanOf(workspace: Stored, subscriptionId: string | undefined): string | null {
  if (!subscriptionId || workspace.subscriptionId !== subscriptionId) return null;
  const planId = workspace.pendingPlan ?? workspace.subscriptionPlan;
  // A stored plan the catalog no longer has is no plan to grant by.
  return planId && isPlanId(planId) ? planId : null;
}
