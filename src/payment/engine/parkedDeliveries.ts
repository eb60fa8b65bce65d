import { db } from '../../db/client.js';
import type { WebhookDelivery } from '../../db/generated/client.js';
import type { BillingEvent } from '../events.js';
import { customerLink, subscriptionLink } from './resolveWorkspace.js';

/**
 * The links a processed delivery may have made: the customer a checkout links, the subscriptions a
 * workspace now holds. Parked deliveries waiting for one of them are applied after it commits.
 */
export function linksMadeBy(events: BillingEvent[]): string[] {
  const links = events.flatMap((event) => {
    switch (event.type) {
      case 'checkout.completed':
        return [customerLink(event.customerId)];
      case 'subscription.changed':
        return [subscriptionLink(event.subscription.subscriptionId), ...(event.ref.customerId ? [customerLink(event.ref.customerId)] : [])];
      case 'subscription.ended':
        return [subscriptionLink(event.subscriptionId)];
      default:
        return [];
    }
  });
  return [...new Set(links)];
}

/** The processor's deliveries parked on any of `links`, in the order they arrived. */
export function parkedDeliveriesWaitingFor(processorId: string, links: string[]): Promise<WebhookDelivery[]> {
  if (links.length === 0) return Promise.resolve([]);
  return db().webhookDelivery.findMany({
    where: { processor: processorId, status: 'parked', waitingFor: { in: links } },
    orderBy: [{ receivedAt: 'asc' }, { id: 'asc' }],
  });
}
