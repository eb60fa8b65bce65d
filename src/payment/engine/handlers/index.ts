import type { BillingEvent, BillingEventType } from '../../events.js';
import type { HandlerContext } from '../handlerContext.js';
import { checkoutCompleted } from './checkoutCompleted.js';
import { paymentFailed } from './paymentFailed.js';
import { paymentRefunded } from './paymentRefunded.js';
import { paymentSucceeded } from './paymentSucceeded.js';
import { subscriptionChanged } from './subscriptionChanged.js';
import { subscriptionEnded } from './subscriptionEnded.js';

export type EventHandler<E extends BillingEvent> = (ctx: HandlerContext, event: E) => Promise<void>;

/** One small handler per normalized event; the compiler insists every event type has one. */
export const handlers: { [T in BillingEventType]: EventHandler<Extract<BillingEvent, { type: T }>> } = {
  'checkout.completed': checkoutCompleted,
  'payment.succeeded': paymentSucceeded,
  'payment.failed': paymentFailed,
  'payment.refunded': paymentRefunded,
  'subscription.changed': subscriptionChanged,
  'subscription.ended': subscriptionEnded,
};
