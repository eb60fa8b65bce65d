import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { BillingEvent, ParsedDelivery } from '../../events.js';
import type { MappedPayload } from '../../paymentProcessor.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { eventIdOf } from './identity.js';
import { mapChargeFailed, mapChargePaid, mapChargeRefunded } from './mapCharge.js';
import { mapCheckoutPaid } from './mapCheckout.js';
import type { MapContext } from './mapContext.js';
import { mapSubscriptionDeleted, mapSubscriptionUpdated } from './mapSubscription.js';
import { chargeSchema, checkoutSchema, envelopeSchema, subscriptionSchema, type Envelope } from './payloadSchemas.js';
import { foreignReason } from './relevance.js';
import { verifyFakeSignature } from './signature.js';

interface Mapper {
  map(object: Record<string, unknown>, ctx: MapContext): BillingEvent[];
}

/** A mapper that parses its object with `schema` (just the fields it reads) before mapping it. */
function parsed<S extends z.ZodType>(schema: S, map: (object: z.output<S>, ctx: MapContext) => BillingEvent[]): Mapper {
  return {
    map(object, ctx) {
      const result = schema.safeParse(object);
      if (!result.success) throw new WebhookPayloadError(`payload invalid: ${z.prettifyError(result.error)}`);
      return map(result.data, ctx);
    },
  };
}

/** One small mapper per fake event type we act on; every other type is acknowledged and recorded. */
const mappers: Readonly<Record<string, Mapper>> = {
  'checkout.paid': parsed(checkoutSchema, mapCheckoutPaid),
  'charge.paid': parsed(chargeSchema, mapChargePaid),
  'charge.failed': parsed(chargeSchema, mapChargeFailed),
  'charge.refunded': parsed(chargeSchema, mapChargeRefunded),
  'subscription.updated': parsed(subscriptionSchema, mapSubscriptionUpdated),
  'subscription.deleted': parsed(subscriptionSchema, mapSubscriptionDeleted),
};

export interface FakeWebhookDeps {
  webhookSecret: string;
  planIds: ProcessorPlanIds;
}

/**
 * Verify the raw bytes, then: not ours → ignored with the reason; ours → parse just the fields used and
 * map; ours but unreadable → `unreadable` (stored failed, replayable). Only what cannot be identified
 * (not JSON, no id or type) throws.
 */
export function parseFakeWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, deps: FakeWebhookDeps): ParsedDelivery {
  const payload = verifyFakeSignature(rawBody, headers, deps.webhookSecret);
  const envelope = parseEnvelope(payload);
  return { eventId: eventIdOf(envelope), type: envelope.type, payload, ...mapEnvelope(envelope, deps.planIds) };
}

/** A stored delivery's payload (verified when it arrived) mapped again, for a replay: it must still be a `type` event. */
export function mapStoredFakePayload(payload: unknown, type: string, planIds: ProcessorPlanIds): MappedPayload {
  const envelope = parseEnvelope(payload);
  if (envelope.type !== type) throw new WebhookPayloadError(`Stored fake processor payload is a ${envelope.type} event, not ${type}`);
  return mapEnvelope(envelope, planIds);
}

/** The events a fetched object stands for, as if `type` had been delivered now: for refetches and reconciliation. */
export function mapFakeObject(type: string, object: Record<string, unknown>, planIds: ProcessorPlanIds): BillingEvent[] {
  return mappers[type]!.map(object, { created: new Date(), planIds });
}

function parseEnvelope(payload: unknown): Envelope {
  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) throw new WebhookPayloadError(`Fake processor webhook envelope invalid: ${z.prettifyError(envelope.error)}`);
  return envelope.data;
}

function mapEnvelope(envelope: Envelope, planIds: ProcessorPlanIds): MappedPayload {
  const mapper = Object.hasOwn(mappers, envelope.type) ? mappers[envelope.type] : undefined;
  if (!mapper) return { events: [] };
  const { object } = envelope.data;
  const ignoredReason = foreignReason(object, planIds);
  if (ignoredReason) return { events: [], ignoredReason: `Fake processor ${envelope.type}: ${ignoredReason}` };
  try {
    return { events: mapper.map(object, { created: new Date(envelope.created), planIds }) };
  } catch (error) {
    if (error instanceof WebhookPayloadError) return { events: [], unreadable: `Fake processor ${envelope.type}: ${error.message}` };
    throw error;
  }
}
