import { z } from 'zod';
import type { SubscriptionStatus } from '../../db/generated/enums.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { graceEndsAt, hasAccess } from '../entitlement.js';

const argsSchema = z.object({ workspaceId: z.string().min(1) });

export interface WorkspaceBilling {
  workspaceId: string;
  processor: string | null;
  customerId: string | null;
  plan: string | null;
  subscriptionStatus: SubscriptionStatus | null;
  /** Seats: how many of the plan the subscription has (null without one). */
  quantity: number | null;
  /** The entitlement rule (entitlement.ts hasAccess): trialing, active, or past_due within the dunning grace. */
  hasActivePlan: boolean;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  /** A downgrade waiting for the period end: the plan from currentPeriodEnd (until then, `plan`). */
  pendingPlan: string | null;
  trialEnd: Date | null;
  /** One trial per workspace: once used, checkout asks for none. */
  trialUsed: boolean;
  /** While past_due: when access ends unless the payment goes through first. */
  graceEndsAt: Date | null;
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
    quantity: w.quantity,
    hasActivePlan: hasAccess(w),
    cancelAtPeriodEnd: w.cancelAtPeriodEnd,
    currentPeriodEnd: w.currentPeriodEnd,
    pendingPlan: w.pendingPlan,
    trialEnd: w.trialEnd,
    trialUsed: w.trialUsedAt !== null,
    graceEndsAt: w.subscriptionStatus === 'past_due' && w.pastDueSince ? graceEndsAt(w.pastDueSince) : null,
    credits: w.credits,
    datePaid: w.datePaid,
  };
};
