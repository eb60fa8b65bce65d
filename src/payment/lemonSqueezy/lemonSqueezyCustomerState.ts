import { getOrder, getSubscription, getSubscriptionInvoice, listSubscriptionInvoices } from '@lemonsqueezy/lemonsqueezy.js';
import type { z } from 'zod';
import type { BillingEvent } from '../events.js';
import { ProcessorError, type CustomerStateRequest } from '../paymentProcessor.js';
import type { ProcessorPlanIds } from '../processorPlanIds.js';
import type { LemonSqueezyCaller } from './lemonSqueezyErrors.js';
import { mapOrderRefunded } from './webhook/mapOrder.js';
import { mapSubscriptionChanged, mapSubscriptionExpired } from './webhook/mapSubscription.js';
import { mapSubscriptionPaymentFailed, mapSubscriptionPaymentRefunded, mapSubscriptionPaymentSucceeded } from './webhook/mapSubscriptionInvoice.js';
import type { MapContext } from './webhook/mapContext.js';
import { apiResourceListSchema, apiResourceSchema, type ApiResource } from './webhook/payloadSchemas.js';

/** The invoice webhooks each invoice status stands for, in the order they came. */
const INVOICE_EVENTS: Record<string, ((ctx: MapContext) => BillingEvent[])[]> = {
  paid: [mapSubscriptionPaymentSucceeded],
  partial_refund: [mapSubscriptionPaymentSucceeded, mapSubscriptionPaymentRefunded],
  refunded: [mapSubscriptionPaymentSucceeded, mapSubscriptionPaymentRefunded],
  // A failed charge waiting for a retry; void once the retries gave up.
  pending: [mapSubscriptionPaymentFailed],
  void: [mapSubscriptionPaymentFailed],
};

/**
 * A workspace's billing at Lemon Squeezy now (fetchCustomerState). Its API returns no checkout custom
 * data, and one customer may buy for several workspaces, so only what this workspace's own records point
 * at is read, and attributed to it: its subscription (the state, and its invoices listed by subscription)
 * and its recorded payments not among those (their refunds). A purchase whose every webhook was lost is
 * not found this way. Each object goes through the mapper of the webhook that announces it, so times
 * (`updated_at`), money ids and refs are the webhooks' own.
 */
export async function fetchLemonSqueezyCustomerState(
  caller: LemonSqueezyCaller,
  request: CustomerStateRequest,
  settings: { storeId: string; planIds: ProcessorPlanIds },
): Promise<BillingEvent[]> {
  const mapped = (map: (ctx: MapContext) => BillingEvent[], eventName: string, object: ApiResource) =>
    map({ eventName, objectId: object.id, attributes: object.attributes, custom: { workspaceId: request.workspaceId }, planIds: settings.planIds });
  const events: BillingEvent[] = [];
  const read = new Set<string>();

  const subscriptionId = request.subscriptionId;
  if (subscriptionId) {
    const what = `Could not read subscription ${subscriptionId}`;
    const found = await caller.find(what, () => getSubscription(subscriptionId));
    if (found) {
      const subscription = parsed(apiResourceSchema, found, what).data;
      const expired = subscription.attributes.status === 'expired';
      events.push(...mapped(expired ? mapSubscriptionExpired : mapSubscriptionChanged, expired ? 'subscription_expired' : 'subscription_updated', subscription));
      const list = await caller.call(what, () => listSubscriptionInvoices({ filter: { storeId: settings.storeId, subscriptionId }, page: { size: 100 } }));
      // Listed newest first: applied oldest first, as they happened.
      for (const invoice of parsed(apiResourceListSchema, list, what).data.reverse()) {
        read.add(`invoice:${invoice.id}`);
        for (const map of INVOICE_EVENTS[String(invoice.attributes.status)] ?? []) events.push(...mapped(map, 'subscription_invoice', invoice));
      }
    }
  }
  for (const moneyId of request.moneyIds.filter((id) => !read.has(id))) events.push(...(await refundOf(caller, moneyId, mapped)));
  return events;
}

/** A recorded payment's refund, if it has one: `order:<id>` (a credit pack) or `invoice:<id>` (an earlier subscription's). */
async function refundOf(
  caller: LemonSqueezyCaller,
  moneyId: string,
  mapped: (map: (ctx: MapContext) => BillingEvent[], eventName: string, object: ApiResource) => BillingEvent[],
): Promise<BillingEvent[]> {
  const [kind, id] = moneyId.split(':');
  if ((kind !== 'order' && kind !== 'invoice') || !id) return [];
  const what = `Could not read ${moneyId}`;
  const found = kind === 'order' ? await caller.find(what, () => getOrder(id)) : await caller.find(what, () => getSubscriptionInvoice(id));
  if (!found) return [];
  const object = parsed(apiResourceSchema, found, what).data;
  const refunded = Number(object.attributes.refunded_amount) > 0 || object.attributes.status === 'refunded';
  if (!refunded) return [];
  return kind === 'order' ? mapped(mapOrderRefunded, 'order_refunded', object) : mapped(mapSubscriptionPaymentRefunded, 'subscription_payment_refunded', object);
}

function parsed<S extends z.ZodType>(schema: S, answer: unknown, what: string): z.output<S> {
  const result = schema.safeParse(answer);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new ProcessorError('api', `${what}: unexpected answer at ${issue ? issue.path.join('.') : 'data'}: ${issue?.message ?? 'invalid'}`);
}
