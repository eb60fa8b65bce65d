import type { AuditActor } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import { applyReconciliation, type ReconcileChange, type ReconcileOutcome } from '../engine/applyReconciliation.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { currentSubscription, customerAt } from '../workspaceBilling.js';

export type ReconcilingProcessor = Pick<ProcessorDriver, 'id' | 'fetchSubscription' | 'createCustomer' | 'mapStoredPayload'> & Required<Pick<ProcessorDriver, 'fetchCustomerState'>>;

/** How many of a workspace's newest payments the processor is told of (what it refetches when it cannot list by customer). */
const RECENT_PAYMENTS = 20;

/**
 * Refetches one workspace's billing at this processor (its customer and subscription there) and repairs
 * the drift through the engine (engine/applyReconciliation.ts). A processor that cannot answer makes this
 * workspace `failed`, not the run.
 */
export async function reconcileOne(processor: ReconcilingProcessor, workspaceId: string, actor: AuditActor): Promise<ReconcileOutcome> {
  const [customerId, subscriptions, payments] = await Promise.all([
    customerAt(db(), workspaceId, processor.id),
    db().subscription.findMany({ where: { workspaceId, processor: processor.id } }),
    db().payment.findMany({
      where: { workspaceId, processor: processor.id },
      orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
      take: RECENT_PAYMENTS,
      select: { moneyId: true },
    }),
  ]);
  let events;
  try {
    events = await processor.fetchCustomerState({
      workspaceId,
      customerId,
      subscriptionId: currentSubscription(subscriptions)?.subscriptionId ?? null,
      moneyIds: payments.map((p) => p.moneyId),
    });
  } catch (error) {
    return { status: 'failed', error: `${processor.id}: ${error instanceof Error ? error.message : String(error)}` };
  }
  return applyReconciliation(processor, workspaceId, events, actor);
}

export interface ReconcileSummary {
  workspaces: number;
  byOutcome: Record<ReconcileOutcome['status'], number>;
  repaired: { workspaceId: string; changes: ReconcileChange[] }[];
  failed: { workspaceId: string; error: string }[];
}

/**
 * Every workspace with a customer or a subscription at `processor`, one at a time (keyset by id), each in
 * its own transaction.
 * An aborted `signal` ends the run before the next workspace (a server stopping).
 */
export async function reconcileAll(processor: ReconcilingProcessor, actor: AuditActor, signal?: AbortSignal): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = { workspaces: 0, byOutcome: { unchanged: 0, repaired: 0, failed: 0 }, repaired: [], failed: [] };
  let after: string | undefined;
  for (;;) {
    const page = await db().$queryRaw<{ id: string }[]>`
      SELECT "workspaceId" AS id FROM "Customer" WHERE processor = ${processor.id} AND "workspaceId" > ${after ?? ''}
      UNION SELECT "workspaceId" FROM "Subscription" WHERE processor = ${processor.id} AND "workspaceId" > ${after ?? ''}
      ORDER BY id LIMIT 100`;
    for (const workspace of page) {
      if (signal?.aborted) return summary;
      const outcome = await reconcileOne(processor, workspace.id, actor);
      summary.workspaces += 1;
      summary.byOutcome[outcome.status] += 1;
      if (outcome.status === 'repaired') summary.repaired.push({ workspaceId: workspace.id, changes: outcome.changes });
      if (outcome.status === 'failed') summary.failed.push({ workspaceId: workspace.id, error: outcome.error });
    }
    after = page.at(-1)?.id;
    if (!after || page.length < 100) return summary;
  }
}

/** Every workspace of each processor in turn, as one summary (the app may run several). */
export async function reconcileEach(processors: readonly ReconcilingProcessor[], actor: AuditActor, signal?: AbortSignal): Promise<ReconcileSummary> {
  const total: ReconcileSummary = { workspaces: 0, byOutcome: { unchanged: 0, repaired: 0, failed: 0 }, repaired: [], failed: [] };
  for (const processor of processors) {
    const summary = await reconcileAll(processor, actor, signal);
    total.workspaces += summary.workspaces;
    for (const status of ['unchanged', 'repaired', 'failed'] as const) total.byOutcome[status] += summary.byOutcome[status];
    total.repaired.push(...summary.repaired);
    total.failed.push(...summary.failed);
  }
  return total;
}

/** The processor, if it can be reconciled. */
export function reconcilingProcessor<P extends ProcessorDriver>(processor: P): (P & ReconcilingProcessor) | null {
  return processor.fetchCustomerState ? (processor as P & ReconcilingProcessor) : null;
}
