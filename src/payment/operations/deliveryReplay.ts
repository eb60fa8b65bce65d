import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../audit/auditCursor.js';
import { db } from '../../db/client.js';
import type { DeliveryStatus } from '../../db/generated/enums.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireSiteAdmin } from '../../workspaces/access.js';
import * as engine from '../engine/replayDelivery.js';
import type { PaymentProcessor, ProcessorDriver } from '../paymentProcessor.js';
import { activePaymentProcessors, activeProcessor } from '../processors.js';

// Site admins heal deliveries the engine could not apply: list them, replay one, or replay all failed.

export interface DeliveryView {
  id: string;
  processor: string;
  eventId: string;
  type: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  /** A parked delivery's missing link ("customer <id>" / "subscription <id>"); null otherwise. */
  waitingFor: string | null;
  receivedAt: Date;
}

const UNAPPLIED = ['failed', 'parked', 'ignored'] as const;

const listSchema = z.object({
  cursor: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  /** Which of them; all three by default. */
  statuses: z.array(z.enum(UNAPPLIED)).min(1).optional(),
});

/** Failed, parked and ignored deliveries (every processor's; `statuses` narrows them), newest first, keyset by (receivedAt, id); no payloads. */
export const listFailedDeliveries: Operation<unknown, { deliveries: DeliveryView[]; nextCursor: string | null }> = async (rawArgs, context) => {
  const { cursor: rawCursor, limit, statuses = UNAPPLIED } = validateArgs(listSchema, rawArgs);
  requireSiteAdmin(context, 'list failed deliveries');
  const cursor = rawCursor ? decodeCursor(rawCursor) : undefined;
  const rows = await db().webhookDelivery.findMany({
    where: {
      status: { in: [...statuses] },
      ...(cursor && { OR: [{ receivedAt: { lt: cursor.createdAt } }, { receivedAt: cursor.createdAt, id: { lt: cursor.id } }] }),
    },
    orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
    select: { id: true, processor: true, eventId: true, type: true, status: true, attempts: true, lastError: true, waitingFor: true, receivedAt: true },
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { deliveries: page, nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.receivedAt, id: last.id }) : null };
};

const replayOneSchema = z.object({ deliveryId: z.string().min(1) });

/**
 * Replays one stored delivery through its processor's mapping and the engine. A processed one is
 * answered `duplicate` and changes nothing; a delivery of a processor the app no longer runs is a 409.
 */
export const replayDelivery: Operation<unknown, { deliveryId: string; outcome: engine.ReplayOutcome }> = async (rawArgs, context) => {
  const { deliveryId } = validateArgs(replayOneSchema, rawArgs);
  const user = requireSiteAdmin(context, 'replay deliveries');
  const delivery = await db().webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery) throw new HttpError(404, `Delivery ${deliveryId} not found`);
  const processor = activeProcessor(delivery.processor);
  if (!processor) throw new HttpError(409, `Delivery ${deliveryId} came from ${delivery.processor}, which this app no longer runs: it cannot be replayed here`);
  return { deliveryId, outcome: await engine.replayDelivery(canReplay(processor), delivery, { type: 'user', userId: user.id }) };
};

/** Replays every failed delivery of the processors the app runs, oldest first (what `npm run billing:replay` does). */
export const replayFailedDeliveries: Operation<unknown, engine.ReplaySummary> = async (rawArgs, context) => {
  validateArgs(z.object({}).strict(), rawArgs);
  const user = requireSiteAdmin(context, 'replay deliveries');
  return engine.replayFailedDeliveries(activePaymentProcessors().map(canReplay), { type: 'user', userId: user.id });
};

function canReplay(processor: PaymentProcessor): PaymentProcessor & Required<Pick<ProcessorDriver, 'mapStoredPayload'>> {
  if (!processor.mapStoredPayload) throw new HttpError(501, `The ${processor.id} processor cannot map stored payloads: its deliveries cannot be replayed`);
  return processor as PaymentProcessor & Required<Pick<ProcessorDriver, 'mapStoredPayload'>>;
}
