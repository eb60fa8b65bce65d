import { recordAudit, type AuditActor } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import type { WebhookDelivery } from '../../db/generated/client.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { applyStoredDelivery, type DeliveryOutcome, type EngineProcessor } from './applyDelivery.js';

type ReplayProcessor = EngineProcessor & Required<Pick<ProcessorDriver, 'mapStoredPayload'>>;

/** What a replay did: the engine's outcome, or `unmappable` when the stored payload no longer maps. */
export type ReplayOutcome = DeliveryOutcome | { status: 'unmappable'; error: string };

/**
 * Runs a stored delivery (failed, ignored or parked) again: its payload through the processor's mapping (no
 * signature check: it was verified when it arrived) and the engine, under its own event id, so the
 * engine's dedupe holds: a delivery already processed is a `duplicate` and changes nothing. The caller
 * checks the delivery belongs to `processor`. Audited as `delivery.replayed`.
 */
export async function replayDelivery(
  processor: ReplayProcessor,
  delivery: WebhookDelivery,
  actor: AuditActor,
): Promise<ReplayOutcome> {
  const outcome = delivery.status === 'processed' ? ({ status: 'duplicate' } as const) : await applyStoredDelivery(processor, delivery);
  if (outcome.status !== 'duplicate') {
    await recordAudit(db(), {
      workspaceId: null,
      actor,
      action: 'delivery.replayed',
      target: delivery.eventId,
      metadata: { deliveryId: delivery.id, processor: delivery.processor, type: delivery.type, previousStatus: delivery.status, outcome },
    });
  }
  return outcome;
}

export interface ReplaySummary {
  replayed: number;
  byOutcome: Record<ReplayOutcome['status'], number>;
  /** The deliveries that still did not apply, with why. */
  stillFailing: { deliveryId: string; eventId: string; type: string; status: ReplayOutcome['status']; error: string }[];
}

/** Every failed delivery of these processors, oldest first (the order they arrived in), replayed one by one, each through its own processor. */
export async function replayFailedDeliveries(processors: readonly ReplayProcessor[], actor: AuditActor): Promise<ReplaySummary> {
  const byId = new Map(processors.map((processor) => [processor.id, processor]));
  const summary: ReplaySummary = {
    replayed: 0,
    byOutcome: { processed: 0, duplicate: 0, ignored: 0, parked: 0, failed: 0, unmappable: 0 },
    stillFailing: [],
  };
  let after: { receivedAt: Date; id: string } | undefined;
  for (;;) {
    // Keyset by (receivedAt, id): a delivery that fails again stays failed, and is not read twice.
    const page = await db().webhookDelivery.findMany({
      where: {
        processor: { in: [...byId.keys()] },
        status: 'failed',
        ...(after && { OR: [{ receivedAt: { gt: after.receivedAt } }, { receivedAt: after.receivedAt, id: { gt: after.id } }] }),
      },
      orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
      take: 100,
    });
    for (const delivery of page) {
      const outcome = await replayDelivery(byId.get(delivery.processor)!, delivery, actor);
      summary.replayed += 1;
      summary.byOutcome[outcome.status] += 1;
      const error = outcome.status === 'failed' || outcome.status === 'unmappable' ? outcome.error : outcome.status === 'ignored' || outcome.status === 'parked' ? outcome.reason : null;
      if (error !== null) summary.stillFailing.push({ deliveryId: delivery.id, eventId: delivery.eventId, type: delivery.type, status: outcome.status, error });
    }
    const last = page.at(-1);
    if (!last || page.length < 100) return summary;
    after = { receivedAt: last.receivedAt, id: last.id };
  }
}
