import type { Plan } from './plans.js';

/** The owners hear that the trial ends this long before it does (as Stripe's trial_will_end). */
const TRIAL_ENDING_NOTICE_DAYS = 3;
const NOTICE_MS = TRIAL_ENDING_NOTICE_DAYS * 24 * 60 * 60 * 1000;

/** The free trial a checkout asks the processor for: the plan's, unless the workspace has had one. */
export function trialToOffer(plan: Plan, workspace: { trialUsedAt: Date | null }): number | null {
  return plan.trialDays && !workspace.trialUsedAt ? plan.trialDays : null;
}

/** Whether, at `now`, a trial ending at `trialEnd` is within the notice period and not over yet. */
export function trialEndsSoon(trialEnd: Date, now: Date): boolean {
  return trialEnd.getTime() > now.getTime() && trialEnd.getTime() - NOTICE_MS <= now.getTime();
}

/** The cut-off for a scan: trials ending at or before it (and after now) end soon. */
export function trialNoticeHorizon(now: Date): Date {
  return new Date(now.getTime() + NOTICE_MS);
}
