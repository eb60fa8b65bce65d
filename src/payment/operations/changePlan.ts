import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { getPlan, isPlanId } from '../plans.js';
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

/**
 * Owners switch the workspace's subscription to another plan, prorated by the processor. Only the
 * request happens here: the new plan arrives by webhook through the engine like every other change.
 */
export const changePlan: Operation<unknown, { requested: true }> = async (rawArgs, context) => {
  const { workspaceId, planId } = validateArgs(argsSchema, rawArgs);
  const { user, workspace } = await requireWorkspaceRole(context, workspaceId, ['owner']);
  const processor = processorFor(workspace, 'changeSubscriptionPlan', 'change plans');
  const subscriptionId = requireSubscription(workspace, 'entitled');
  const plan = getPlan(planId);
  if (workspace.subscriptionPlan === plan.id) {
    throw new HttpError(409, `This workspace is already on the ${plan.name} plan`);
  }
  await callProcessor(processor.id, () => processor.changeSubscriptionPlan(subscriptionId, processor.planIds.toProcessor(plan.id)));
  await recordAudit(db(), {
    workspaceId,
    actor: { type: 'user', userId: user.id },
    action: 'subscription.change_requested',
    target: subscriptionId,
    metadata: { fromPlan: workspace.subscriptionPlan, toPlan: plan.id, processor: processor.id },
  });
  return { requested: true };
};
