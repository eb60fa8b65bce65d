import { z } from 'zod';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { lemonSqueezySubscriptionStatuses } from '../lemonSqueezySubscriptionStatus.js';

// Just the fields the mappers read, as Lemon Squeezy sends them (see the SDK's Order, Subscription and
// SubscriptionInvoice attribute types). A webhook is `{ meta: { event_name, custom_data? }, data: { type,
// id, attributes } }`: the object the event is about, in its JSON:API form.

/** A JSON:API resource id: a string (Lemon Squeezy's are integers written as strings). */
const resourceId = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
/** An id inside attributes (customer_id, variant_id...): an integer; kept as a string like every id of ours. */
const numericId = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'must be an integer id')]).transform(String);
const time = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }).transform((value) => new Date(value));
const minorAmount = z.number().int().nonnegative();
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
  .transform((code) => code.toLowerCase());

export const envelopeSchema = z.object({
  meta: z.object({
    event_name: z.string().min(1),
    custom_data: z.record(z.string(), z.unknown()).nullish(),
  }),
  data: z.object({
    type: z.string().min(1),
    id: resourceId,
    attributes: z.record(z.string(), z.unknown()),
  }),
});
export type Envelope = z.output<typeof envelopeSchema>;

/** `orders`: order_created, order_refunded. */
export const orderSchema = z.object({
  customer_id: numericId,
  status: z.string().min(1),
  currency,
  total: minorAmount,
  /** Cumulative: every refund of the order so far. Absent in the docs' retrieve-order example and older deliveries. */
  refunded_amount: minorAmount.optional(),
  refunded_at: time.nullish(),
  first_order_item: z.object({ variant_id: numericId }),
  created_at: time,
  updated_at: time,
});
export type OrderPayload = z.output<typeof orderSchema>;

/** `subscriptions`: subscription_created, _updated, _cancelled, _resumed, _expired, _paused, _unpaused... */
export const subscriptionSchema = z.object({
  customer_id: numericId,
  variant_id: numericId,
  status: z.enum(lemonSqueezySubscriptionStatuses),
  cancelled: z.boolean(),
  renews_at: time.nullable(),
  ends_at: time.nullable(),
  trial_ends_at: time.nullable(),
  // null on a subscription whose item is gone; older deliveries lack it
  first_subscription_item: z.object({ quantity: z.number().int().nonnegative() }).nullish(),
  updated_at: time,
});
export type SubscriptionPayload = z.output<typeof subscriptionSchema>;

/** GET /v1/subscriptions/:id, for a refetch. */
export const apiSubscriptionSchema = z.object({ data: z.object({ id: resourceId, attributes: subscriptionSchema }) });

/** An API resource (GET one) and a page of them (GET a list), for mapping as the webhook of that object would. */
const apiResource = z.object({ id: resourceId, attributes: z.record(z.string(), z.unknown()) });
export const apiResourceSchema = z.object({ data: apiResource });
export const apiResourceListSchema = z.object({ data: z.array(apiResource) });
export type ApiResource = z.output<typeof apiResource>;

/** `subscription-invoices`: subscription_payment_success, _recovered, _failed, _refunded. */
export const subscriptionInvoiceSchema = z.object({
  customer_id: numericId,
  subscription_id: numericId,
  /** initial or renewal (a string: a reason Lemon Squeezy adds later is no malformed payload). */
  billing_reason: z.string().min(1),
  /** pending, paid, void, refunded, partial_refund (a string: read only for a refund without its amount). */
  status: z.string().min(1).optional(),
  currency,
  total: minorAmount,
  /** Cumulative: every refund of the invoice so far. Absent in the docs' example and older deliveries. */
  refunded_amount: minorAmount.optional(),
  refunded_at: time.nullish(),
  updated_at: time,
});
export type SubscriptionInvoicePayload = z.output<typeof subscriptionInvoiceSchema>;

/**
 * A refund's cumulative amount: `refunded_amount`, or - where a delivery lacks it - the whole total once
 * the status says refunded in full. A partial refund without the amount cannot be read.
 */
export function refundedAmountOf(object: { refunded_amount?: number | undefined; total: number; status?: string }, eventName: string): number {
  if (object.refunded_amount !== undefined) return object.refunded_amount;
  if (object.status === 'refunded') return object.total;
  throw new WebhookPayloadError(`Lemon Squeezy ${eventName} payload invalid: data.attributes.refunded_amount: required for a refund that is not in full (status ${object.status ?? 'absent'})`);
}

/** Parses `value` (found at `at` in the delivery) or throws a WebhookPayloadError naming each bad field. */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, eventName: string, at: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${[at, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`);
  throw new WebhookPayloadError(`Lemon Squeezy ${eventName} payload invalid: ${problems.join('; ')}`);
}
