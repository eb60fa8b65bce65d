import { z } from 'zod';
import type { SubscriptionStatus } from '../../db/generated/enums.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { isEntitled } from '../entitlement.js';

const argsSchema = z.object({ workspaceId: z.string().min(1) });

export interface WorkspaceBilling {
  workspaceId: string;
  processor: string | null;
  customerId: string | null;
  plan: string | null;
  subscriptionStatus: SubscriptionStatus | null;
  hasActivePlan: boolean;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  credits: number;
  datePaid: Date | null;
}

/** Any member may see the workspace's billing state. */
export const getWorkspaceBilling: Operation<unknown, WorkspaceBilling> = async (rawArgs, context) => {
  const { workspaceId } = validateArgs(argsSchema, rawArgs);
  const { workspace: w } = await requireWorkspaceRole(context, workspaceId, ['owner', 'admin', 'member']);
  return {
    workspaceId: w.id,
    processor: w.paymentProcessor,
    customerId: w.processorCustomerId,
    plan: w.subscriptionPlan,
    subscriptionStatus: w.subscriptionStatus,
    hasActivePlan: isEntitled(w.subscriptionStatus),
    cancelAtPeriodEnd: w.cancelAtPeriodEnd,
    currentPeriodEnd: w.currentPeriodEnd,
    trialEnd: w.trialEnd,
    credits: w.credits,
    datePaid: w.datePaid,
  };
};
