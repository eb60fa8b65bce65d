import { z } from 'zod';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { stripeSubscriptionStatuses } from '../stripeSubscription.js';

// Just the fields the mappers read, as API version 2026-10-28.endive sends them (see the Stripe.*
// types; older versions' objects are moved to this shape first, apiVersions.ts). Stripe sends every
// field, null when empty: a used field that is absent is a malformed payload. Unknown fields pass.

const id = z.string().min(1);
/** A reference Stripe sends as an id, or as the object when expanded. */
const reference = z.union([id, z.object({ id })]).transform((value) => (typeof value === 'string' ? value : value.id));
const metadata = z
  .record(z.string(), z.string())
  .nullable()
  .transform((value) => value ?? {});
const unixSeconds = z.number().int().nonnegative();
const minorAmount = z.number().int().nonnegative();
const currency = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code')
  .transform((code) => code.toLowerCase());

/** What identifies a delivery: without it nothing can be stored (400). A v2 "thin" event has `object: 'v2.core.event'`. */
export const stripeEventIdentitySchema = z.object({ id, type: z.string().min(1), object: z.unknown().optional() });

/** The rest of a (snapshot) event; `api_version` is the endpoint's, null for some old events. */
export const stripeEventSchema = z.object({
  created: unixSeconds,
  api_version: z.string().nullable().optional(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

export const checkoutSessionSchema = z.object({
  id,
  mode: z.string(),
  payment_status: z.string(),
  customer: reference.nullable(),
  client_reference_id: z.string().nullable(),
  metadata,
  amount_total: minorAmount.nullable(),
  currency: currency.nullable(),
  invoice: reference.nullable(),
  payment_intent: reference.nullable(),
});
export type CheckoutSessionPayload = z.output<typeof checkoutSessionSchema>;

const invoiceLine = z.object({
  pricing: z.object({ price_details: z.object({ price: reference }).optional() }).nullable(),
});

// `payments` is only present when expanded; its payment intent may explain a failed attempt.
const invoicePayments = z.object({
  data: z.array(
    z.object({
      payment: z.object({
        payment_intent: z
          .union([z.string(), z.object({ last_payment_error: z.object({ message: z.string().optional() }).nullable().optional() })])
          .optional(),
      }),
    }),
  ),
});

export const invoiceSchema = z.object({
  id,
  customer: reference.nullable(),
  amount_paid: minorAmount,
  amount_due: minorAmount,
  currency,
  metadata,
  parent: z
    .object({
      subscription_details: z.object({ subscription: reference, metadata }).nullable(),
    })
    .nullable(),
  lines: z.object({ data: z.array(invoiceLine) }),
  status_transitions: z.object({ paid_at: unixSeconds.nullable() }),
  last_finalization_error: z.object({ message: z.string().optional() }).nullable(),
  payments: invoicePayments.optional(),
});
export type InvoicePayload = z.output<typeof invoiceSchema>;

export const subscriptionSchema = z.object({
  id,
  customer: reference,
  status: z.enum(stripeSubscriptionStatuses),
  cancel_at_period_end: z.boolean(),
  cancel_at: unixSeconds.nullable(),
  trial_end: unixSeconds.nullable(),
  ended_at: unixSeconds.nullable(),
  metadata,
  items: z.object({
    // quantity: absent on metered prices
    data: z.array(z.object({ price: z.object({ id }), current_period_end: unixSeconds, quantity: z.number().int().nonnegative().optional() })).min(1, 'a subscription has at least one item'),
  }),
});
export type SubscriptionPayload = z.output<typeof subscriptionSchema>;

export const chargeSchema = z.object({
  id,
  customer: reference.nullable(),
  payment_intent: reference.nullable(),
  // Only before API 2025-03-31.basil: the invoice the charge paid.
  invoice: reference.nullable().optional(),
  amount_refunded: minorAmount,
  currency,
  metadata,
});
export type ChargePayload = z.output<typeof chargeSchema>;

/** Parses `value` (found at `at` in the event) or throws a WebhookPayloadError naming each bad field. */
export function parsePayload<S extends z.ZodType>(schema: S, value: unknown, what: string, at: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${[at, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`);
  throw new WebhookPayloadError(`Stripe ${what} payload invalid: ${problems.join('; ')}`);
}
