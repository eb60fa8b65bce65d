import { db } from '../db/client.js';
import type { SubscriptionStatus } from '../db/generated/enums.js';
import { findBilledWorkspace, type BilledWorkspace } from '../payment/workspaceBilling.js';

/** A workspace with its billing as one processor, customer and subscription (what the engine reads). */
export async function billedWorkspace(workspaceId: string): Promise<BilledWorkspace> {
  const workspace = await findBilledWorkspace(db(), workspaceId);
  if (!workspace) throw new Error(`no workspace ${workspaceId}`);
  return workspace;
}

export interface BillingSetup {
  /** Defaults to the workspace's current processor, else 'fake'. */
  processor?: string;
  customerId?: string;
  subscriptionId?: string;
  plan?: string | null;
  status?: SubscriptionStatus;
  cancelAtPeriodEnd?: boolean;
  currentPeriodEnd?: Date | null;
  pendingPlan?: string | null;
  processorUpdatedAt?: Date | null;
}

/**
 * For tests that start from a state no webhook made (a subscription the processor does not know, a
 * workspace billed elsewhere): writes the customer and the current subscription's records directly. A
 * new `subscriptionId` replaces the current subscription (its state carried over unless given).
 */
export async function setBilling(workspaceId: string, setup: BillingSetup): Promise<void> {
  const before = await billedWorkspace(workspaceId);
  const processor = setup.processor ?? before.paymentProcessor ?? 'fake';
  if (setup.customerId !== undefined) {
    await db().customer.upsert({
      where: { workspaceId_processor: { workspaceId, processor } },
      create: { workspaceId, processor, customerId: setup.customerId },
      update: { customerId: setup.customerId },
    });
  }
  const { customerId: _customer, processor: _processor, subscriptionId, ...fields } = setup;
  if (subscriptionId === undefined && Object.keys(fields).length === 0 && setup.processor === undefined) return;
  if (before.subscriptionId) {
    await db().subscription.deleteMany({ where: { workspaceId, subscriptionId: before.subscriptionId } });
  }
  const id = subscriptionId ?? before.subscriptionId;
  if (!id) {
    if (subscriptionId === undefined && fields.status === undefined) return;
    throw new Error('setBilling: a workspace without a subscription needs a subscriptionId');
  }
  await db().subscription.create({
    data: {
      workspaceId,
      processor,
      subscriptionId: id,
      plan: fields.plan !== undefined ? fields.plan : before.subscriptionPlan,
      status: fields.status ?? before.subscriptionStatus ?? 'active',
      cancelAtPeriodEnd: fields.cancelAtPeriodEnd ?? before.cancelAtPeriodEnd,
      currentPeriodEnd: fields.currentPeriodEnd !== undefined ? fields.currentPeriodEnd : before.currentPeriodEnd,
      pendingPlan: fields.pendingPlan !== undefined ? fields.pendingPlan : before.pendingPlan,
      trialEnd: before.trialEnd,
      pastDueSince: before.pastDueSince,
      graceExpiredAt: before.graceExpiredAt,
      processorUpdatedAt: fields.processorUpdatedAt !== undefined ? fields.processorUpdatedAt : before.subscriptionUpdatedAt,
    },
  });
}

/** Every workspace with its customers and subscriptions, for "nothing changed" comparisons. */
export const allWorkspaces = () =>
  db().workspace.findMany({ orderBy: { id: 'asc' }, include: { customers: { orderBy: { id: 'asc' } }, subscriptions: { orderBy: { id: 'asc' } } } });
