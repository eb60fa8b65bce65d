import type { Tx } from '../db/client.js';
import type { Customer, Subscription, Workspace } from '../db/generated/client.js';
import type { SubscriptionStatus } from '../db/generated/enums.js';
import { isEntitled } from './entitlement.js';

/** Prisma `include` for a workspace's billing records. */
export const BILLING_RECORDS = { customers: true, subscriptions: true } as const;

export type WorkspaceWithRecords = Workspace & { customers: Customer[]; subscriptions: Subscription[] };

/**
 * The workspace's billing as one processor, customer and subscription: what entitlement, the engine's
 * stale-event rules, the operations and the pages read. Derived from the records, never stored.
 */
export interface CurrentBilling {
  /** The current subscription's processor, else the one of the newest customer. */
  paymentProcessor: string | null;
  /** The workspace's customer at that processor. */
  processorCustomerId: string | null;
  subscriptionId: string | null;
  subscriptionPlan: string | null;
  subscriptionStatus: SubscriptionStatus | null;
  /** Seats of the current subscription. */
  quantity: number | null;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  subscriptionUpdatedAt: Date | null;
  pendingPlan: string | null;
  pastDueSince: Date | null;
  graceExpiredAt: Date | null;
}

export type BilledWorkspace = Workspace & CurrentBilling;

/**
 * THE rule for which subscription gives the workspace its plan: a running one (trialing, active,
 * past_due) before any other, and among those alike the one whose processor state is newest. The engine
 * never lets a subscription that stopped replace a running one, so this is also the last one applied.
 */
export function currentSubscription(subscriptions: readonly Subscription[]): Subscription | null {
  let best: Subscription | null = null;
  for (const s of subscriptions) if (!best || outranks(s, best)) best = s;
  return best;
}

function outranks(a: Subscription, b: Subscription): boolean {
  if (isEntitled(a.status) !== isEntitled(b.status)) return isEntitled(a.status);
  const [at, bt] = [a.processorUpdatedAt?.getTime() ?? -Infinity, b.processorUpdatedAt?.getTime() ?? -Infinity];
  return at !== bt ? at > bt : a.createdAt > b.createdAt;
}

export function billedWorkspace({ customers, subscriptions, ...workspace }: WorkspaceWithRecords): BilledWorkspace {
  const current = currentSubscription(subscriptions);
  const newestCustomer = customers.reduce<Customer | null>((a, c) => (!a || c.createdAt > a.createdAt ? c : a), null);
  const paymentProcessor = current?.processor ?? newestCustomer?.processor ?? null;
  return {
    ...workspace,
    paymentProcessor,
    processorCustomerId: customers.find((c) => c.processor === paymentProcessor)?.customerId ?? null,
    subscriptionId: current?.subscriptionId ?? null,
    subscriptionPlan: current?.plan ?? null,
    subscriptionStatus: current?.status ?? null,
    quantity: current?.quantity ?? null,
    cancelAtPeriodEnd: current?.cancelAtPeriodEnd ?? false,
    currentPeriodEnd: current?.currentPeriodEnd ?? null,
    trialEnd: current?.trialEnd ?? null,
    subscriptionUpdatedAt: current?.processorUpdatedAt ?? null,
    pendingPlan: current?.pendingPlan ?? null,
    pastDueSince: current?.pastDueSince ?? null,
    graceExpiredAt: current?.graceExpiredAt ?? null,
  };
}

export async function findBilledWorkspace(client: Tx, workspaceId: string): Promise<BilledWorkspace | null> {
  const workspace = await client.workspace.findUnique({ where: { id: workspaceId }, include: BILLING_RECORDS, relationLoadStrategy: 'join' });
  return workspace && billedWorkspace(workspace);
}

/** The workspace's customer id at one processor (a workspace that moved has one at each). */
export async function customerAt(client: Tx, workspaceId: string, processor: string): Promise<string | null> {
  const customer = await client.customer.findUnique({ where: { workspaceId_processor: { workspaceId, processor } }, select: { customerId: true } });
  return customer?.customerId ?? null;
}
