import { randomUUID } from 'node:crypto';
import { db, type Tx } from '../../db/client.js';
import type { BillingEvent, ParsedDelivery } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { handlers, type EventHandler } from './handlers/index.js';
import { resolveWorkspace, UnknownWorkspaceError } from './resolveWorkspace.js';

export type DeliveryOutcome =
  | { status: 'processed' }
  | { status: 'duplicate' }
  | { status: 'ignored'; reason: string }
  | { status: 'failed'; error: string };

type EngineProcessor = Pick<ProcessorDriver, 'id' | 'fetchSubscription'>;

/**
 * THE place where billing state changes. One transaction per delivery: the delivery row, payments,
 * credits, subscription state, audit events and outbox emails commit together or not at all. A
 * failure rolls everything back, is recorded on the delivery, and the caller answers non-2xx so the
 * processor retries. An event for no workspace of ours is recorded as ignored and acknowledged: our
 * own events always carry a known workspace or customer, so retrying could never succeed.
 */
export async function applyDelivery(processor: EngineProcessor, delivery: ParsedDelivery): Promise<DeliveryOutcome> {
  try {
    return await db().$transaction(
      async (tx) => {
        const deliveryId = await claimDelivery(tx, processor.id, delivery);
        if (!deliveryId) return { status: 'duplicate' } as const;
        for (const event of delivery.events) await applyEvent(tx, processor, event);
        return { status: 'processed' } as const;
      },
      { timeout: 30_000, maxWait: 10_000 },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const ignored = error instanceof UnknownWorkspaceError;
    await recordUnapplied(processor.id, delivery, ignored ? 'ignored' : 'failed', message);
    return ignored ? { status: 'ignored', reason: message } : { status: 'failed', error: message };
  }
}

async function applyEvent(tx: Tx, processor: EngineProcessor, event: BillingEvent): Promise<void> {
  const workspace = await resolveWorkspace(tx, processor.id, event.ref);
  const handler = handlers[event.type] as EventHandler<BillingEvent>;
  await handler({ tx, processor, workspace, actor: { type: 'processor', processorId: processor.id } }, event);
}

/**
 * Inserts the delivery, or takes over a failed earlier attempt. Returns nothing when the event was
 * already processed: a concurrent twin blocks on the unique index until the first commits, then sees
 * it processed. The row says `processed` from the start: nobody sees it before the commit, and a
 * rollback takes it back (recordUnapplied then writes the failure), so no second UPDATE is needed.
 */
async function claimDelivery(tx: Tx, processorId: string, delivery: ParsedDelivery): Promise<string | undefined> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, attempts, payload, "processedAt")
    VALUES (${randomUUID()}, ${processorId}, ${delivery.eventId}, ${delivery.type}, 'processed', 1, ${JSON.stringify(delivery.payload ?? null)}::jsonb, now())
    ON CONFLICT (processor, "eventId") DO UPDATE
      SET attempts = "WebhookDelivery".attempts + 1, status = 'processed', "processedAt" = now(), "lastError" = NULL
      WHERE "WebhookDelivery".status <> 'processed'
    RETURNING id`;
  return rows[0]?.id;
}

/** Outside the rolled-back transaction, so the delivery stays visible for replay and audit. */
async function recordUnapplied(processorId: string, delivery: ParsedDelivery, status: 'failed' | 'ignored', message: string): Promise<void> {
  await db().$executeRaw`
    INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, attempts, "lastError", payload)
    VALUES (${randomUUID()}, ${processorId}, ${delivery.eventId}, ${delivery.type}, ${status}::"DeliveryStatus", 1, ${message}, ${JSON.stringify(delivery.payload ?? null)}::jsonb)
    ON CONFLICT (processor, "eventId") DO UPDATE
      SET attempts = "WebhookDelivery".attempts + 1, status = ${status}::"DeliveryStatus", "lastError" = ${message}
      WHERE "WebhookDelivery".status <> 'processed'`;
}
