import type { IncomingHttpHeaders } from 'node:http';
import type { BillingEvent, ParsedDelivery } from '../../events.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { readCustomData } from '../customData.js';
import { deliveryEventId } from './deliveryId.js';
import type { MapContext } from './mapContext.js';
import { mapOrderCreated, mapOrderRefunded } from './mapOrder.js';
import { mapSubscriptionChanged, mapSubscriptionExpired } from './mapSubscription.js';
import { mapSubscriptionPaymentFailed, mapSubscriptionPaymentRefunded, mapSubscriptionPaymentSucceeded } from './mapSubscriptionInvoice.js';
import { envelopeSchema, parsePayload, type Envelope } from './payloadSchemas.js';
import { foreignReason, type ObjectType } from './relevance.js';
import { checkEventNameHeader, verifyLemonSqueezySignature } from './verifyLemonSqueezySignature.js';

interface Mapper {
  /** The JSON:API type of the object the event is about. */
  dataType: ObjectType;
  map(ctx: MapContext): BillingEvent[];
}

const order = (map: Mapper['map']): Mapper => ({ dataType: 'orders', map });
const subscription = (map: Mapper['map']): Mapper => ({ dataType: 'subscriptions', map });
const invoice = (map: Mapper['map']): Mapper => ({ dataType: 'subscription-invoices', map });

/** One small mapper per Lemon Squeezy event we act on; every other event is acknowledged and recorded. */
const mappers: Readonly<Record<string, Mapper>> = {
  order_created: order(mapOrderCreated),
  order_refunded: order(mapOrderRefunded),
  subscription_created: subscription(mapSubscriptionChanged),
  subscription_updated: subscription(mapSubscriptionChanged),
  subscription_cancelled: subscription(mapSubscriptionChanged),
  subscription_resumed: subscription(mapSubscriptionChanged),
  subscription_paused: subscription(mapSubscriptionChanged),
  subscription_unpaused: subscription(mapSubscriptionChanged),
  subscription_plan_changed: subscription(mapSubscriptionChanged),
  subscription_expired: subscription(mapSubscriptionExpired),
  subscription_payment_success: invoice(mapSubscriptionPaymentSucceeded),
  subscription_payment_recovered: invoice(mapSubscriptionPaymentSucceeded),
  subscription_payment_failed: invoice(mapSubscriptionPaymentFailed),
  subscription_payment_refunded: invoice(mapSubscriptionPaymentRefunded),
};

export const mappedLemonSqueezyEvents = Object.keys(mappers);

export interface LemonSqueezyWebhookDeps {
  webhookSecret: string;
  planIds: ProcessorPlanIds;
}

/** What a verified delivery maps to: events, or why it has none (not ours; ours but unreadable). */
type Mapped = Pick<ParsedDelivery, 'events' | 'ignoredReason' | 'unreadable'>;

/**
 * Verify the raw bytes, check X-Event-Name, then: not ours → ignored with the reason; ours → parse just
 * the fields used and map to normalized events; ours but unreadable → `unreadable` (stored failed,
 * replayable). Only what cannot even be identified (not JSON, no event name or object id) throws.
 */
export function parseLemonSqueezyWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, deps: LemonSqueezyWebhookDeps): ParsedDelivery {
  const payload = verifyLemonSqueezySignature(rawBody, headers, deps.webhookSecret);
  const envelope = parsePayload(envelopeSchema, payload, 'webhook', '');
  checkEventNameHeader(headers, envelope.meta.event_name);
  return { eventId: deliveryEventId(envelope, rawBody), type: envelope.meta.event_name, payload, ...mapEnvelope(envelope, deps.planIds) };
}

/**
 * A stored delivery's payload (verified when it arrived) mapped again, for a replay. `eventName` is the
 * delivery's recorded type, the X-Event-Name it was checked against: the body must still say the same.
 */
export function mapStoredLemonSqueezyPayload(payload: unknown, eventName: string, planIds: ProcessorPlanIds): Mapped {
  const envelope = parsePayload(envelopeSchema, payload, 'webhook', '');
  if (envelope.meta.event_name !== eventName) {
    throw new WebhookPayloadError(`Stored Lemon Squeezy payload is a ${envelope.meta.event_name} event, not ${eventName}`);
  }
  return mapEnvelope(envelope, planIds);
}

function mapEnvelope(envelope: Envelope, planIds: ProcessorPlanIds): Mapped {
  const eventName = envelope.meta.event_name;
  const mapper = Object.hasOwn(mappers, eventName) ? mappers[eventName] : undefined;
  if (!mapper) return { events: [] };
  try {
    if (envelope.data.type !== mapper.dataType) {
      throw new WebhookPayloadError(`Lemon Squeezy ${eventName} payload invalid: data.type: expected "${mapper.dataType}", got "${envelope.data.type}"`);
    }
    const custom = readCustomData(envelope.meta.custom_data, eventName);
    const ignoredReason = foreignReason(mapper.dataType, envelope.data.attributes, custom, planIds);
    if (ignoredReason) return { events: [], ignoredReason: `Lemon Squeezy ${eventName}: ${ignoredReason}` };
    return { events: mapper.map({ eventName, objectId: envelope.data.id, attributes: envelope.data.attributes, custom, planIds }) };
  } catch (error) {
    if (error instanceof WebhookPayloadError) return { events: [], unreadable: error.message };
    throw error;
  }
}
