import type { IncomingHttpHeaders } from 'node:http';
import type { BillingEvent, ParsedDelivery } from '../../events.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { fromUnixSeconds } from '../stripeSubscription.js';
import { mapChargeRefunded } from './mapCharge.js';
import {
  mapCheckoutSessionAsyncPaymentFailed,
  mapCheckoutSessionAsyncPaymentSucceeded,
  mapCheckoutSessionCompleted,
} from './mapCheckoutSession.js';
import type { MapContext } from './mapContext.js';
import { mapInvoicePaid, mapInvoicePaymentFailed, mapInvoicePaymentSucceeded } from './mapInvoice.js';
import { mapSubscriptionChanged, mapSubscriptionDeleted } from './mapSubscription.js';
import type { PaidInvoice } from './moneyIds.js';
import { parsePayload, stripeEventSchema } from './payloadSchemas.js';
import { verifyStripeSignature } from './verifyStripeSignature.js';

type Mapper = (object: unknown, ctx: MapContext) => BillingEvent[] | Promise<BillingEvent[]>;

/** One small mapper per Stripe event type we act on; every other type is acknowledged and recorded. */
const mappers: Readonly<Record<string, Mapper>> = {
  'checkout.session.completed': mapCheckoutSessionCompleted,
  'checkout.session.async_payment_succeeded': mapCheckoutSessionAsyncPaymentSucceeded,
  'checkout.session.async_payment_failed': mapCheckoutSessionAsyncPaymentFailed,
  'invoice.paid': mapInvoicePaid,
  'invoice.payment_succeeded': mapInvoicePaymentSucceeded,
  'invoice.payment_failed': mapInvoicePaymentFailed,
  'customer.subscription.created': mapSubscriptionChanged,
  'customer.subscription.updated': mapSubscriptionChanged,
  'customer.subscription.trial_will_end': mapSubscriptionChanged,
  'customer.subscription.deleted': mapSubscriptionDeleted,
  'charge.refunded': mapChargeRefunded,
};

export const mappedStripeEventTypes = Object.keys(mappers);

export interface StripeWebhookDeps {
  webhookSecret: string;
  planIds: ProcessorPlanIds;
  findInvoiceOfPaymentIntent(paymentIntentId: string): Promise<PaidInvoice | null>;
}

/** Verify the raw bytes, parse just the fields used, map to normalized events. */
export async function parseStripeWebhook(rawBody: Buffer, headers: IncomingHttpHeaders, deps: StripeWebhookDeps): Promise<ParsedDelivery> {
  return mapStripeEvent(verifyStripeSignature(rawBody, headers, deps.webhookSecret), deps);
}

/**
 * The mapping alone, for a verified event's parsed JSON: parseWebhook after the signature check, and a
 * replay of a stored payload (which was verified when it arrived).
 */
export async function mapStripeEvent(payload: unknown, deps: Omit<StripeWebhookDeps, 'webhookSecret'>): Promise<ParsedDelivery> {
  const event = parsePayload(stripeEventSchema, payload, 'webhook', '');
  const mapper = Object.hasOwn(mappers, event.type) ? mappers[event.type] : undefined;
  const ctx: MapContext = {
    eventType: event.type,
    occurredAt: fromUnixSeconds(event.created),
    planIds: deps.planIds,
    findInvoiceOfPaymentIntent: deps.findInvoiceOfPaymentIntent,
  };
  const events = mapper ? await mapper(event.data.object, ctx) : [];
  return { eventId: event.id, type: event.type, events, payload };
}
