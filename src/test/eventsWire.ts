import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import type { BillingEvent, ParsedDelivery } from '../payment/events.js';
import { WebhookPayloadError, WebhookSignatureError } from '../payment/webhookErrors.js';

export const EVENTS_SIGNATURE_HEADER = 'x-fake-signature';

const ref = z.object({ workspaceId: z.string().optional(), customerId: z.string().optional() });
const money = z.object({ moneyId: z.string().min(1), amount: z.number().int().min(0), currency: z.string().length(3) });
const date = z.coerce.date();
const status = z.enum(['trialing', 'active', 'past_due', 'paused', 'unpaid', 'incomplete', 'incomplete_expired', 'canceled']);

// The core's tests send the normalized events themselves (dates as ISO strings), so the mapping is only
// parsing: they test the engine, not a processor's mapping (the fake processor, src/payment/fake/, has a
// wire format of its own, as every real one does).
const eventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('checkout.completed'), ref, customerId: z.string(), sessionId: z.string(), planId: z.string() }),
  z.object({ type: z.literal('payment.succeeded'), ref, money, planId: z.string().nullable(), subscriptionId: z.string().optional(), paidAt: date }),
  z.object({ type: z.literal('payment.failed'), ref, money, planId: z.string().nullable(), subscriptionId: z.string().optional(), failedAt: date, reason: z.string().nullable() }),
  z.object({ type: z.literal('payment.refunded'), ref, moneyId: z.string(), amountRefunded: z.number().int().min(0), currency: z.string().length(3), refundedAt: date }),
  z.object({
    type: z.literal('subscription.changed'),
    ref,
    subscription: z.object({
      subscriptionId: z.string(),
      planId: z.string(),
      status,
      cancelAtPeriodEnd: z.boolean(),
      currentPeriodEnd: date.nullable(),
      trialEnd: date.nullable(),
      occurredAt: date,
    }),
  }),
  z.object({
    type: z.literal('subscription.ended'),
    ref,
    subscriptionId: z.string(),
    // The plan at the end (null: unknown, the stored plan stays).
    planId: z.string().nullable().default(null),
    currentPeriodEnd: date.nullable().default(null),
    endedAt: date,
    occurredAt: date,
  }),
]) satisfies z.ZodType<BillingEvent, unknown>;

const deliverySchema = z.object({ id: z.string().min(1), type: z.string().min(1), data: z.unknown() });

export function signEventsPayload(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

export function parseEventsWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): ParsedDelivery {
  const signature = headers[EVENTS_SIGNATURE_HEADER];
  if (typeof signature !== 'string' || signature === '') throw new WebhookSignatureError(`Missing ${EVENTS_SIGNATURE_HEADER} header`);
  const expected = Buffer.from(signEventsPayload(rawBody.toString('utf8'), secret), 'hex');
  const given = Buffer.from(signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureError('Webhook signature does not match the payload');
  }

  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('Webhook body is not JSON');
  }
  return mapEventsPayload(json);
}

/**
 * The mapping alone, for verified JSON: parseEventsWebhook after the signature check, and a replay of a
 * stored payload. Without an event id or type the delivery cannot be identified (WebhookPayloadError,
 * 400); an event of a type we act on that does not parse is `unreadable` (stored failed, replayable).
 */
export function mapEventsPayload(json: unknown): ParsedDelivery {
  const envelope = deliverySchema.safeParse(json);
  if (!envelope.success) throw new WebhookPayloadError(`Webhook envelope invalid: ${z.prettifyError(envelope.error)}`);
  const { id, type, data } = envelope.data;
  const known = eventSchema.options.some((option) => option.shape.type.value === type);
  if (!known) return { eventId: id, type, events: [], payload: json };
  const event = eventSchema.safeParse({ ...(data as object), type });
  if (!event.success) return { eventId: id, type, events: [], payload: json, unreadable: `Webhook ${type} payload invalid: ${z.prettifyError(event.error)}` };
  return { eventId: id, type, events: [event.data], payload: json };
}
