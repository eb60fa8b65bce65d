import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import type { BilledWorkspace } from '../workspaceBilling.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { movePendingPlan } from '../engine/intents.js';
import { getPlan, isPlanId, monthlyPrice, plans, type Plan } from '../plans.js';
import { callProcessor } from '../processorErrors.js';
import { processorFor, requireSubscription } from './subscriptionChangeGuards.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  planId: z
    .string()
    .refine(isPlanId, { error: (issue) => `unknown plan "${String(issue.input)}"`, abort: true })
    .refine((id) => getPlan(id).effect.kind === 'subscription', {
      error: (issue) => `"${String(issue.input)}" is a credit pack, not a subscription plan: buy it with generateCheckoutSession`,
    }),
});

export interface PlanChangeRequested {
  requested: true;
  /** `now`: an upgrade, prorated. `period_end`: a downgrade, effective at `effectiveAt` (the period end). */
  takesEffect: 'now' | 'period_end';
  effectiveAt: Date | null;
}

/**
 * Owners switch the workspace's subscription to another plan. An upgrade (a plan that costs more per
 * month, or the same) takes effect now, prorated by the processor. A downgrade waits for the period
 * end: the core stores it as pending (first, so the processor's webhook finds it) and the processor
 * switches the price without proration, so the next renewal bills the cheaper plan while the workspace
 * keeps the plan it paid for until then (engine/pendingPlan.ts). Changing back to the current plan
 * cancels a pending downgrade. The plan itself arrives by webhook through the engine.
 */
export const changePlan: Operation<unknown, PlanChangeRequested> = async (rawArgs, context) => {
  const { workspaceId, planId } = validateArgs(argsSchema, rawArgs);
  const { user, workspace } = await requireWorkspaceRole(context, workspaceId, ['owner']);
  const processor = processorFor(workspace, 'changeSubscriptionPlan', 'change plans');
  const subscriptionId = requireSubscription(workspace, 'entitled');
  const plan = getPlan(planId);
  const change = planChangeOf(workspace, plan);
  const ask = (prorate: boolean) => callProcessor(processor.id, () => processor.changeSubscriptionPlan(subscriptionId, processor.planIds.toProcessor(plan.id), { prorate }));
  const audit = (action: string, metadata: Record<string, unknown>) =>
    recordAudit(db(), { workspaceId, actor: { type: 'user', userId: user.id }, action, target: subscriptionId, metadata: { ...metadata, processor: processor.id } });

  if (change === 'cancel_pending') {
    // Back to the price paid for this period, so without proration; cleared first, so the processor's
    // answer (back on the paid plan) is not taken for the downgrade.
    await switchPendingPlan(workspace, workspace.pendingPlan, null, () => ask(false));
    await audit('subscription.pending_change_cancelled', { plan: plan.id, cancelledPlan: workspace.pendingPlan });
    return { requested: true, takesEffect: 'now', effectiveAt: null };
  }
  if (change === 'downgrade') {
    await switchPendingPlan(workspace, null, plan.id, () => ask(false));
    await audit('subscription.change_requested', { fromPlan: workspace.subscriptionPlan, toPlan: plan.id, takesEffect: 'period_end', effectiveAt: workspace.currentPeriodEnd });
    return { requested: true, takesEffect: 'period_end', effectiveAt: workspace.currentPeriodEnd };
  }
  await ask(true);
  await audit('subscription.change_requested', { fromPlan: workspace.subscriptionPlan, toPlan: plan.id, takesEffect: 'now' });
  return { requested: true, takesEffect: 'now', effectiveAt: null };
};

/** What asking for `plan` means for this workspace; a 409 for what it cannot. */
function planChangeOf(workspace: BilledWorkspace, plan: Plan): 'upgrade' | 'downgrade' | 'cancel_pending' {
  const { subscriptionPlan: current, pendingPlan: pending, currentPeriodEnd } = workspace;
  const on = currentPeriodEnd ? ` on ${currentPeriodEnd.toISOString()}` : ' at the end of the period';
  if (pending) {
    if (plan.id === current) return 'cancel_pending';
    if (plan.id === pending) throw new HttpError(409, `This workspace already changes to the ${plan.name} plan${on}`);
    const pendingName = isPlanId(pending) ? plans[pending].name : pending;
    throw new HttpError(409, `A change to the ${pendingName} plan is scheduled${on}: change back to your current plan first`);
  }
  if (current === plan.id) throw new HttpError(409, `This workspace is already on the ${plan.name} plan`);
  const currentPlan = current && isPlanId(current) ? plans[current] : null;
  const cheaper = currentPlan !== null && currentPlan.price.currency === plan.price.currency && monthlyPrice(plan) < monthlyPrice(currentPlan);
  if (!cheaper) return 'upgrade';
  if (workspace.cancelAtPeriodEnd) {
    throw new HttpError(409, `This subscription is cancelled and ends${on}: there is no next period to downgrade (resumeSubscription first)`);
  }
  return 'downgrade';
}

/**
 * Moves the pending plan from `from` to `to` (a 409 when another change got there first), then asks the
 * processor; if that fails, the pending plan goes back and the error goes on.
 */
async function switchPendingPlan(workspace: BilledWorkspace, from: string | null, to: string | null, ask: () => Promise<void>): Promise<void> {
  const subscription = { workspaceId: workspace.id, processor: workspace.paymentProcessor ?? '', subscriptionId: workspace.subscriptionId ?? '' };
  if (!(await movePendingPlan(subscription, from, to))) throw new HttpError(409, 'Another plan change for this workspace was just made: reload and try again');
  try {
    await ask();
  } catch (error) {
    await movePendingPlan(subscription, to, from);
    throw error;
  }
}
