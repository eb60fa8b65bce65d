import { STRIPE_API_VERSION } from '../stripeClient.js';
import { asRecord } from './relevance.js';

/*
 * A webhook endpoint sends events in its own API version (the account's default for one made in the
 * Dashboard), not the version the SDK pins. The mapper reads `api_version`:
 * - the pinned version (and any version from 2025-03-31.basil on, or none given): read as it is;
 * - an older version (before 2025-03-31.basil, e.g. 2024-06-20): the few fields we read that basil moved
 *   are put where the pinned version has them (below), a pure step, so those events apply as they are;
 * - whatever still does not read (a shape neither knows) is unreadable: stored as failed with an error
 *   naming both versions and the fix (describeVersionFix), and replayable once the endpoint is fixed.
 * Why not fetch the object fresh under the pinned version (dj-stripe, Pay): it costs a call per event,
 * gives the object's state now rather than at the event (which the processor-time guard is built on),
 * and does not help replays of stored deliveries offline.
 */

/** The first version with the shapes this mapper reads (invoice.parent, line pricing, item periods). */
const BASIL = '2025-03-31';

const datePart = (version: string) => version.slice(0, 10);

export function isLegacyApiVersion(apiVersion: string | null | undefined): boolean {
  return typeof apiVersion === 'string' && /^\d{4}-\d{2}-\d{2}/.test(apiVersion) && datePart(apiVersion) < BASIL;
}

/** Puts a pre-basil object's fields where the pinned version has them; other objects pass unchanged. */
export function toPinnedShape(object: Record<string, unknown>, apiVersion: string | null | undefined): Record<string, unknown> {
  if (!isLegacyApiVersion(apiVersion)) return object;
  if (object.object === 'subscription') return legacySubscription(object);
  if (object.object === 'invoice') return legacyInvoice(object);
  return object;
}

/** Before basil the period was the subscription's (`current_period_end`), not each item's. */
function legacySubscription(subscription: Record<string, unknown>): Record<string, unknown> {
  const items = asRecord(subscription.items);
  if (!Array.isArray(items.data)) return subscription;
  const data = items.data.map((item) => {
    const fields = asRecord(item);
    return 'current_period_end' in fields ? item : { ...fields, current_period_end: subscription.current_period_end };
  });
  return { ...subscription, items: { ...items, data } };
}

/**
 * Before basil an invoice named its subscription at the top (`subscription`, with `subscription_details.metadata`),
 * and each line its `price` (no `pricing`).
 */
function legacyInvoice(invoice: Record<string, unknown>): Record<string, unknown> {
  const subscription = invoice.subscription ?? null;
  const parent =
    'parent' in invoice
      ? invoice.parent
      : subscription === null
        ? null
        : { type: 'subscription_details', subscription_details: { subscription, metadata: asRecord(invoice.subscription_details).metadata ?? null } };
  const lines = asRecord(invoice.lines);
  const data = Array.isArray(lines.data)
    ? lines.data.map((line) => {
        const fields = asRecord(line);
        if ('pricing' in fields) return line;
        return { ...fields, pricing: fields.price ? { type: 'price_details', price_details: { price: fields.price } } : null };
      })
    : lines.data;
  return { ...invoice, parent, lines: { ...lines, data } };
}

/** Said with every unreadable event of another version: which versions, and how to fix the endpoint. */
export function describeVersionFix(apiVersion: string | null | undefined): string {
  if (apiVersion === STRIPE_API_VERSION || apiVersion === null || apiVersion === undefined) return '';
  return (
    ` The event is in Stripe API version ${apiVersion}; this plugin reads ${STRIPE_API_VERSION} (and the shapes before ${BASIL}.basil).` +
    ` Set the webhook endpoint to ${STRIPE_API_VERSION} (npm run billing:webhook-endpoint), then replay the failed deliveries (npm run billing:replay).`
  );
}
