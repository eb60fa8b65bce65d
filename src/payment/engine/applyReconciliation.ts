import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { recordAudit, type AuditActor } from '../../audit/recordAudit.js';
import { db, type Tx } from '../../db/client.js';
import type { BillingEvent } from '../events.js';
import { applyParked, type EngineProcessor } from './applyDelivery.js';
import { handlers, type EventHandler } from './handlers/index.js';
import { customerAt, findBilledWorkspace } from '../workspaceBilling.js';
import { customerLink, lockWorkspace, subscriptionLink } from './resolveWorkspace.js';

// Stored fields as plain values (a Wasp operation result may not contain `unknown`).
type StoredValue = string | number | boolean | Date | null | { [key: string]: StoredValue };
type StoredState = Record<string, StoredValue>;

/** One repaired difference: the event that repaired it, and the stored fields it changed, before and after. */
export interface ReconcileChange {
  event: BillingEvent['type'];
  target: string;
  before: StoredState;
  after: StoredState;
}

export type ReconcileOutcome = { status: 'unchanged' } | { status: 'repaired'; changes: ReconcileChange[] } | { status: 'failed'; error: string };

const SYSTEM: AuditActor = { type: 'system' };

/**
 * Applies the processor's current state of one workspace (what `fetchCustomerState` returned) through
 * the engine's handlers, in one transaction with the workspace locked, as a delivery is. Each event runs
 * in a savepoint and is kept only if it changed what is stored (the workspace row, the payment row of
 * its money id): a run with no drift writes nothing at all, no audit, no email. Money
 * dedupes by money id and subscription state by processor time, as for webhooks, so a webhook that
 * arrives after the repair changes nothing more. A repair is recorded as a synthetic delivery
 * (`reconcile:<workspace id>:<hash of the applied events>`, the same repair is the same delivery) and
 * one `billing.reconciled` audit event by `actor` listing the changes; the handlers' own audit events
 * name the system.
 */
export async function applyReconciliation(processor: EngineProcessor, workspaceId: string, events: BillingEvent[], actor: AuditActor): Promise<ReconcileOutcome> {
  let outcome: ReconcileOutcome;
  try {
    outcome = await db().$transaction(
      async (tx) => {
        const applied: BillingEvent[] = [];
        const changes: ReconcileChange[] = [];
        for (const event of events) {
          const change = await applyIfItChanges(tx, processor, workspaceId, event);
          if (!change) continue;
          applied.push(event);
          changes.push(change);
        }
        if (changes.length === 0) return { status: 'unchanged' } as const;
        const eventId = `reconcile:${workspaceId}:${createHash('sha256').update(JSON.stringify(applied)).digest('hex').slice(0, 16)}`;
        await tx.webhookDelivery.create({
          data: {
            processor: processor.id,
            eventId,
            type: 'reconciliation',
            status: 'processed',
            attempts: 1,
            payload: JSON.parse(JSON.stringify({ workspaceId, events: applied })),
            processedAt: new Date(),
          },
        });
        await recordAudit(tx, { workspaceId, actor, action: 'billing.reconciled', target: eventId, metadata: { processor: processor.id, changes } });
        return { status: 'repaired', changes } as const;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
  await applyParkedOf(processor, workspaceId);
  return outcome;
}

/** Reconciliation links too (a subscription no webhook told of): deliveries parked on the workspace's customer or subscription apply now. */
async function applyParkedOf(processor: EngineProcessor, workspaceId: string): Promise<void> {
  const [customerId, subscriptions] = await Promise.all([
    customerAt(db(), workspaceId, processor.id),
    db().subscription.findMany({ where: { workspaceId, processor: processor.id }, select: { subscriptionId: true } }),
  ]);
  const links = [...(customerId ? [customerLink(customerId)] : []), ...subscriptions.map((s) => subscriptionLink(s.subscriptionId))];
  if (links.length > 0) await applyParked(processor, links);
}

async function applyIfItChanges(tx: Tx, processor: EngineProcessor, workspaceId: string, event: BillingEvent): Promise<ReconcileChange | null> {
  // Another workspace's object (a processor customer shared by workspaces): that workspace's run repairs it.
  if (event.ref.workspaceId !== undefined && event.ref.workspaceId !== workspaceId) return null;
  const workspace = await lockWorkspace(tx, workspaceId);
  if (!workspace) throw new Error(`Workspace ${workspaceId} does not exist`);
  const moneyId = event.type.startsWith('payment.') ? targetOf(event) : null;
  const before = await storedState(tx, processor.id, workspaceId, moneyId);
  await tx.$executeRaw`SAVEPOINT reconcile_event`;
  const handler = handlers[event.type] as EventHandler<BillingEvent>;
  // The events are the processor's current state already: nothing fresher to fetch.
  await handler({ tx, processor, workspace, actor: SYSTEM, freshSubscription: () => null }, event);
  const after = await storedState(tx, processor.id, workspaceId, moneyId);
  const changed = Object.keys(after).filter((key) => !isDeepStrictEqual(before[key], after[key]));
  if (changed.length === 0) {
    // Nothing to repair: drop what the handler wrote anyway (an audit of a repeat, a same-state write).
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT reconcile_event`;
    return null;
  }
  await tx.$executeRaw`RELEASE SAVEPOINT reconcile_event`;
  const pick = (state: StoredState): StoredState => Object.fromEntries(changed.map((key) => [key, state[key] ?? null]));
  return { event: event.type, target: targetOf(event), before: pick(before), after: pick(after) };
}

/**
 * What a repair may change, compared before and after each event: the workspace's billing and the
 * payment of the money id. Not `subscriptionUpdatedAt`: a refetch of the same state is stamped later,
 * which alone is no drift.
 */
async function storedState(tx: Tx, processorId: string, workspaceId: string, moneyId: string | null): Promise<StoredState> {
  const billed = await findBilledWorkspace(tx, workspaceId);
  if (!billed) throw new Error(`Workspace ${workspaceId} does not exist`);
  const { subscriptionUpdatedAt: _stamp, ...workspace } = billed;
  const payment = moneyId
    ? await tx.payment.findUnique({
        where: { processor_moneyId: { processor: processorId, moneyId } },
        select: { status: true, amount: true, amountRefunded: true, currency: true },
      })
    : null;
  return { ...workspace, payment };
}

/** What the event is about: its money id, subscription or checkout. */
function targetOf(event: BillingEvent): string {
  switch (event.type) {
    case 'payment.succeeded':
    case 'payment.failed':
      return event.money.moneyId;
    case 'payment.refunded':
      return event.moneyId;
    case 'subscription.changed':
      return event.subscription.subscriptionId;
    case 'subscription.ended':
      return event.subscriptionId;
    case 'checkout.completed':
      return event.sessionId;
  }
}
