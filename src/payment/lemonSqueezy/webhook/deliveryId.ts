import { createHash } from 'node:crypto';
import type { Envelope } from './payloadSchemas.js';

/*
 * The delivery's event id. Lemon Squeezy sends no event id (meta.webhook_id, where present, is not
 * documented as stable across retries, so it is not relied on), so one is derived:
 *
 *   <event_name>:<data.type>:<data.id>:<data.attributes.updated_at>:<sha256(raw body), 16 hex>
 *
 * - A retry of the same delivery has identical bytes → the same key → the core records it once.
 * - Two different events about one object differ in event name or in updated_at: order_created vs
 *   order_refunded of one order differ by name (and each further partial refund by updated_at);
 *   subscription_payment_success vs _recovered of one invoice differ by name - both are recorded, and
 *   the second has no effect because both carry the same money id (moneyIds.ts).
 * - The body hash covers what name + updated_at cannot: updated_at has second precision, and Lemon
 *   Squeezy has been seen sending two subscription_updated with the same updated_at (a change to a
 *   subscription item does not touch the subscription's updated_at). Without the hash the second would
 *   be dropped as a duplicate; with it, it is applied, and the core's processor-time guard (equal times,
 *   different states → refetch) decides. The cost: a redelivery whose bytes differ (a manual resend that
 *   re-signs the portal URLs inside) is applied again - harmless, since money applies once per money
 *   id, refunds are cumulative and subscription emails follow transitions only.
 * The readable prefix is for operators reading the delivery log.
 */
export function deliveryEventId(envelope: Envelope, rawBody: Buffer): string {
  const updatedAt = typeof envelope.data.attributes.updated_at === 'string' ? envelope.data.attributes.updated_at : 'no-updated_at';
  const digest = createHash('sha256').update(rawBody).digest('hex').slice(0, 16);
  return `${envelope.meta.event_name}:${envelope.data.type}:${envelope.data.id}:${updatedAt}:${digest}`;
}
