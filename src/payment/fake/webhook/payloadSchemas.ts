import { z } from 'zod';

// The fake processor's wire format, its own and small: every webhook is `{ id, type, created, data:
// { object } }`, the object the event is about as the fake's API returns it. Times are unix
// milliseconds. These schemas hold just the fields the mappers read; the emulator writes the same shapes.

export const envelopeSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int().nonnegative(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type Envelope = z.output<typeof envelopeSchema>;

const id = z.string().min(1);
const time = z.number().int().nonnegative();
/** Our checkout puts the workspace id here; the API copies it to the subscription and every charge. */
const metadata = z.object({ workspace_ref: z.string().min(1).optional() });

export const checkoutSchema = z.object({
  id,
  customer: id,
  price: id,
  metadata,
});

export const chargeSchema = z.object({
  id,
  customer: id,
  price: id,
  /** The subscription a renewal charge is for; null for a one-time purchase. */
  subscription: id.nullable(),
  amount: z.number().int().nonnegative(),
  currency: z.string().regex(/^[a-z]{3}$/, 'must be a lowercase three-letter currency code'),
  /** Cumulative: every refund of the charge so far. */
  amount_refunded: z.number().int().nonnegative(),
  failure_reason: z.string().nullable(),
  /** The last attempt to collect it (a failed renewal is retried under the same charge). */
  attempted_at: time,
  refunded_at: time.nullable(),
  metadata,
});

/** The fake's subscription states, its own names (fakeSubscriptionStatus maps them). */
export const fakeSubscriptionStates = ['trial', 'active', 'overdue', 'ended'] as const;

export const subscriptionSchema = z.object({
  id,
  customer: id,
  price: id,
  state: z.enum(fakeSubscriptionStates),
  cancel_at_period_end: z.boolean(),
  period_end: time,
  trial_end: time.nullable(),
  /** When the API last changed it: the processor time an older state never wins against. */
  updated: time,
  metadata,
});

export type CheckoutObject = z.input<typeof checkoutSchema>;
export type ChargeObject = z.input<typeof chargeSchema>;
export type SubscriptionObject = z.input<typeof subscriptionSchema>;
