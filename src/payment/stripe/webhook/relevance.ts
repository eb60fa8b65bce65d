import type { ProcessorPlanIds } from '../../processorPlanIds.js';

/*
 * "Is this ours?" answered from the object alone, before its shape is checked (no database: the engine
 * decides about customers). Ours means one of:
 * - our workspace id in metadata (checkout writes `workspaceId` and `planId` on the session, the
 *   subscription, the payment intent and its charge, and the one-time checkout's invoice);
 * - one of our prices (PAYMENTS_*_PLAN_ID) on a subscription item or an invoice line.
 * A checkout session's `client_reference_id` alone does not make it ours: payment links and pricing
 * tables of other apps on the account set it too. A charge is tied to us by its customer or invoice (mapCharge.ts).
 * Everything here reads leniently: a foreign object of any shape must be recognised as foreign.
 */

type Loose = Record<string, unknown>;

export const asRecord = (value: unknown): Loose => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Loose) : {});

/** An id Stripe sends as a string, or inside an expanded object. */
export function idAt(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  const id = asRecord(value).id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

const listData = (value: unknown): unknown[] => {
  const data = asRecord(value).data;
  return Array.isArray(data) ? data : [];
};

/** Our workspace id in a metadata object, if any. */
export function workspaceIdIn(metadata: unknown): string | undefined {
  const id = asRecord(metadata).workspaceId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function describePrices(prices: string[]): string {
  return prices.length === 0 ? 'no price' : `price ${prices.join(', ')}`;
}

export function subscriptionNotOurs(object: unknown, planIds: ProcessorPlanIds): string | null {
  const subscription = asRecord(object);
  if (workspaceIdIn(subscription.metadata)) return null;
  const prices = listData(subscription.items).flatMap((item) => idAt(asRecord(item).price) ?? []);
  if (prices.some((price) => planIds.findPlan(price))) return null;
  return `subscription ${idAt(subscription.id) ?? '(no id)'} is on ${describePrices(prices)}, not one of our plans, and names no workspace of ours`;
}

export function invoiceNotOurs(object: unknown, planIds: ProcessorPlanIds): string | null {
  const invoice = asRecord(object);
  const subscriptionDetails = asRecord(asRecord(invoice.parent).subscription_details);
  if (workspaceIdIn(subscriptionDetails.metadata) || workspaceIdIn(invoice.metadata)) return null;
  const prices = invoiceLinePrices(invoice);
  if (prices.some((price) => planIds.findPlan(price))) return null;
  return `invoice ${idAt(invoice.id) ?? '(no id)'} bills ${describePrices(prices)}, none of our plans, and names no workspace of ours`;
}

/** The price of each invoice line (API 2025-03-31+: `pricing.price_details.price`). */
function invoiceLinePrices(invoice: Loose): string[] {
  return listData(invoice.lines).flatMap((line) => idAt(asRecord(asRecord(asRecord(line).pricing).price_details).price) ?? []);
}

export function checkoutSessionNotOurs(object: unknown): string | null {
  const session = asRecord(object);
  const metadata = asRecord(session.metadata);
  if (workspaceIdIn(metadata) || (typeof metadata.planId === 'string' && metadata.planId !== '')) return null;
  return `checkout session ${idAt(session.id) ?? '(no id)'} was not created by this plugin (no metadata.workspaceId or metadata.planId)`;
}
