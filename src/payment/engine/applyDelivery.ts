import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../audit/recordAudit.js';
import { db, type Tx } from '../../db/client.js';
import type { WebhookDelivery } from '../../db/generated/client.js';
import type { BillingEvent, ParsedDelivery } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { WebhookPayloadError } from '../webhookErrors.js';
import { FetchBeforeApplying, FreshFetches } from './freshFetch.js';
import { handlers, type EventHandler } from './handlers/index.js';
import { linksMadeBy, parkedDeliveriesWaitingFor } from './parkedDeliveries.js';
import { AwaitingLinkError, CustomerConflictError, linkExists, resolveWorkspace, UnknownWorkspaceError } from './resolveWorkspace.js';
import { storable } from './storable.js';

/**
 * `failed` with `final`: retrying the same bytes cannot succeed (unreadable, a customer conflict); it
 * waits for a fix and a replay. Without: applying failed and was rolled back; a retry may succeed.
 */
export type DeliveryOutcome =
  | { status: 'processed' }
  | { status: 'duplicate' }
  | { status: 'ignored'; reason: string }
  | { status: 'parked'; waitingFor: string; reason: string }
  | { status: 'failed'; error: string; final?: boolean };

/** mapStoredPayload lets the engine apply parked deliveries once their link arrives; without it they wait for a replay. */
export type EngineProcessor = Pick<ProcessorDriver, 'id' | 'fetchSubscription' | 'createCustomer' | 'mapStoredPayload'>;

/**
 * THE place where billing state changes. One transaction per delivery: the delivery row, payments,
 * credits, subscription state, audit events and outbox emails commit together or not at all. A
 * failure rolls everything back and is recorded on the delivery. What is not ours is recorded ignored;
 * what is ours but not linked to a workspace yet is recorded parked and applied, through this same
 * function, once a later delivery links it (after that delivery commits, in the order they arrived).
 * Every string is made storable first (storable.ts), so a delivery is always recorded.
 */
export async function applyDelivery(processor: EngineProcessor, parsed: ParsedDelivery): Promise<DeliveryOutcome> {
  const delivery = storable(parsed);
  if (delivery.ignoredReason !== undefined) return recordUnapplied(processor.id, delivery, { status: 'ignored', reason: delivery.ignoredReason });
  if (delivery.unreadable !== undefined) return recordUnapplied(processor.id, delivery, { status: 'failed', error: delivery.unreadable, final: true });
  const fetched = new FreshFetches();
  let outcome: DeliveryOutcome | undefined;
  let parkedOnce = false;
  while (!outcome) {
    try {
      outcome = await db().$transaction(
        async (tx) => {
          const deliveryId = await claimDelivery(tx, processor.id, delivery);
          if (!deliveryId) return { status: 'duplicate' } as const;
          for (const event of delivery.events) await applyEvent(tx, processor, event, fetched);
          return { status: 'processed' } as const;
        },
        TRANSACTION_LIMITS,
      );
    } catch (error) {
      // Rolled back, no lock held: fetch what a handler asked for, then apply again.
      if (error instanceof FetchBeforeApplying && (await fetched.fetch(processor, error))) continue;
      const unapplied = await recordUnapplied(processor.id, delivery, unappliedOutcome(error), error instanceof CustomerConflictError ? error : undefined);
      // The link may have committed after this transaction looked for it, and the linking delivery may
      // have looked for parked ones before this one was parked: then nobody would apply it. Once
      // parked, look again; the claim takes the parked row over (or finds the linker applied it).
      if (unapplied.status === 'parked' && !parkedOnce && (await linkExists(processor.id, unapplied.waitingFor))) {
        parkedOnce = true;
        continue;
      }
      return unapplied;
    }
  }
  if (outcome.status === 'processed') await applyParked(processor, linksMadeBy(delivery.events));
  return outcome;
}

/**
 * Maps a stored delivery's payload again (no signature check: it was verified when it arrived) and
 * applies it under its own event id, so the engine's dedupe holds. For replays and parked deliveries.
 * `unmappable`: the payload no longer maps at all (WebhookPayloadError); the row keeps its status.
 */
export async function applyStoredDelivery(
  processor: EngineProcessor & Required<Pick<ProcessorDriver, 'mapStoredPayload'>>,
  delivery: WebhookDelivery,
): Promise<DeliveryOutcome | { status: 'unmappable'; error: string }> {
  let mapped;
  try {
    mapped = await processor.mapStoredPayload(delivery.payload, delivery.type);
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    await db().webhookDelivery.updateMany({
      where: { id: delivery.id, status: { not: 'processed' } },
      data: { attempts: { increment: 1 }, lastError: error.message },
    });
    return { status: 'unmappable', error: error.message };
  }
  return applyDelivery(processor, { ...mapped, eventId: delivery.eventId, type: delivery.type, payload: delivery.payload });
}

/** Applies, in arrival order, the deliveries parked on links that just committed (each applies once: the claim dedupes). */
export async function applyParked(processor: EngineProcessor, links: string[]): Promise<void> {
  const { mapStoredPayload } = processor;
  if (!mapStoredPayload) return;
  for (const delivery of await parkedDeliveriesWaitingFor(processor.id, links)) {
    await applyStoredDelivery({ ...processor, mapStoredPayload }, delivery);
  }
}

async function applyEvent(tx: Tx, processor: EngineProcessor, event: BillingEvent, fetched: FreshFetches): Promise<void> {
  const workspace = await resolveWorkspace(tx, processor, event);
  const handler = handlers[event.type] as EventHandler<BillingEvent>;
  const actor = { type: 'processor', processorId: processor.id } as const;
  await handler({ tx, processor, workspace, actor, freshSubscription: (id) => fetched.get(id) }, event);
}

function unappliedOutcome(error: unknown): Exclude<DeliveryOutcome, { status: 'processed' | 'duplicate' }> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnknownWorkspaceError) return { status: 'ignored', reason: message };
  if (error instanceof AwaitingLinkError) return { status: 'parked', waitingFor: error.waitingFor, reason: message };
  if (error instanceof CustomerConflictError) return { status: 'failed', error: message, final: true };
  return { status: 'failed', error: message };
}

/**
 * Inserts the delivery, or takes over an earlier attempt that did not apply. Returns nothing when the
 * event was already processed: a concurrent twin blocks on the unique index until the first commits,
 * then sees it processed. The row says `processed` from the start: nobody sees it before the commit,
 * and a rollback takes it back (recordUnapplied then writes why), so no second UPDATE is needed.
 */
async function claimDelivery(tx: Tx, processorId: string, delivery: ParsedDelivery): Promise<string | undefined> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, attempts, payload, "processedAt")
    VALUES (${randomUUID()}, ${processorId}, ${delivery.eventId}, ${delivery.type}, 'processed', 1, ${JSON.stringify(delivery.payload ?? null)}::jsonb, now())
    ON CONFLICT (processor, "eventId") DO UPDATE
      SET attempts = "WebhookDelivery".attempts + 1, status = 'processed', "processedAt" = now(), "lastError" = NULL, "waitingFor" = NULL
      WHERE "WebhookDelivery".status <> 'processed'
    RETURNING id`;
  return rows[0]?.id;
}

/**
 * Recording a delivery that is not applied waits for a connection as long as applying one: with
 * Prisma's defaults (2 s) only these timed out when the pool was busy, and answered 500 (D5).
 */
const TRANSACTION_LIMITS = { timeout: 30_000, maxWait: 10_000 };

/**
 * Outside the rolled-back transaction, so the delivery stays visible for replay and audit. An event
 * already processed stays processed (its outcome is then `duplicate`). A customer conflict is audited
 * on the workspace the event named, for its owners and site admins to see.
 */
async function recordUnapplied(
  processorId: string,
  delivery: ParsedDelivery,
  outcome: Exclude<DeliveryOutcome, { status: 'processed' | 'duplicate' }>,
  conflict?: CustomerConflictError,
): Promise<DeliveryOutcome> {
  const message = outcome.status === 'failed' ? outcome.error : outcome.reason;
  const waitingFor = outcome.status === 'parked' ? outcome.waitingFor : null;
  return db().$transaction(async (tx) => {
    const written = await tx.$executeRaw`
      INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, attempts, "lastError", payload, "waitingFor")
      VALUES (${randomUUID()}, ${processorId}, ${delivery.eventId}, ${delivery.type}, ${outcome.status}::"DeliveryStatus", 1, ${message}, ${JSON.stringify(delivery.payload ?? null)}::jsonb, ${waitingFor})
      ON CONFLICT (processor, "eventId") DO UPDATE
        SET attempts = "WebhookDelivery".attempts + 1, status = EXCLUDED.status, "lastError" = EXCLUDED."lastError", "waitingFor" = EXCLUDED."waitingFor"
        WHERE "WebhookDelivery".status <> 'processed'`;
    if (written === 0) return { status: 'duplicate' } as const;
    if (conflict) {
      await recordAudit(tx, {
        workspaceId: conflict.workspaceId,
        actor: { type: 'processor', processorId },
        action: 'delivery.customer_conflict',
        target: delivery.eventId,
        metadata: { type: delivery.type, customerId: conflict.customerId, customerWorkspaceId: conflict.customerWorkspaceId, error: conflict.message },
      });
    }
    return outcome;
  }, TRANSACTION_LIMITS);
}
