import type { IncomingHttpHeaders } from 'node:http';
import type { ParsedDelivery } from '../../events.js';
import type { ProcessorPlanIds } from '../../processorPlanIds.js';
import { WebhookPayloadError } from '../../webhookErrors.js';
import { fromUnixSeconds } from '../stripeSubscription.js';
import { describeVersionFix, toPinnedShape } from './apiVersions.js';
import { mapChargeRefunded } from './mapCharge.js';
import {
  mapCheckoutSessionAsyncPaymentFailed,
  mapCheckoutSessionAsyncPaymentSucceeded,
  mapCheckoutSessionCompleted,
} from './mapCheckoutSession.js';
import type { MapContext } from './mapContext.js';
import { mapInvoicePaid, mapInvoicePaymentFailed, mapInvoicePaymentSucceeded } from './mapInvoice.js';
import { isNotOurs, type Mapping } from './mapping.js';
import { mapSubscriptionChanged, mapSubscriptionDeleted } from './mapSubscription.js';
import type { PaidInvoice } from './moneyIds.js';
import { parsePayload, stripeEventIdentitySchema, stripeEventSchema } from './payloadSchemas.js';
import { verifyStripeSignature } from './verifyStripeSignature.js';

type Mapper = (object: unknown, ctx: MapContext) => Mapping | Promise<Mapping>;

/** One small mapper per Stripe event type we act on; every other type is acknowledged and recorded ignored. */
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
 * replay of a stored payload (which was verified when it arrived). Relevance before shape: an event
 * that cannot be identified (no id or type) is a WebhookPayloadError (400, nothing stored); one we do
 * not act on, or about an object that is not ours, is ignored with the reason; one of ours that does
 * not read is unreadable (stored failed, the error names the API versions when they differ).
 */
export async function mapStripeEvent(payload: unknown, deps: Omit<StripeWebhookDeps, 'webhookSecret'>): Promise<ParsedDelivery> {
  const identity = parsePayload(stripeEventIdentitySchema, payload, 'webhook', '');
  const delivery = { eventId: identity.id, type: identity.type, events: [], payload };
  if (identity.object === 'v2.core.event') return { ...delivery, ignoredReason: 'a thin (v2) event notification: this endpoint acts on snapshot events only' };
  const mapper = Object.hasOwn(mappers, identity.type) ? mappers[identity.type] : undefined;
  if (!mapper) return { ...delivery, ignoredReason: `Stripe event type ${identity.type} is not one this plugin acts on` };
  let apiVersion: string | null | undefined;
  try {
    const event = parsePayload(stripeEventSchema, payload, identity.type, '');
    apiVersion = event.api_version;
    const ctx: MapContext = {
      eventType: identity.type,
      occurredAt: fromUnixSeconds(event.created),
      planIds: deps.planIds,
      findInvoiceOfPaymentIntent: deps.findInvoiceOfPaymentIntent,
    };
    const mapping = await mapper(toPinnedShape(event.data.object, apiVersion), ctx);
    return isNotOurs(mapping) ? { ...delivery, ignoredReason: mapping.notOurs } : { ...delivery, events: mapping };
  } catch (error) {
    if (error instanceof WebhookPayloadError) return { ...delivery, unreadable: error.message + describeVersionFix(apiVersion) };
    throw error;
  }
}
