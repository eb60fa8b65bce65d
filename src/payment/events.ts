import type { SubscriptionStatus } from '../db/generated/enums.js';

export type { SubscriptionStatus };

/**
 * Which workspace an event belongs to. Processors carry our workspace id in metadata / custom data;
 * the customer id is the fallback for events that lack it. Never an email.
 */
export interface WorkspaceRef {
  workspaceId?: string;
  customerId?: string;
}

/** A subscription as the processor last described it, stamped with the processor's time. */
export interface SubscriptionSnapshot {
  subscriptionId: string;
  planId: string;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  currentPeriodEnd: Date | null;
  trialEnd: Date | null;
  /** Seats: how many of the plan, when the processor says (absent: left as stored; a new subscription has 1). */
  quantity?: number;
  /** When the processor produced this state: an older snapshot never overwrites a newer one. */
  occurredAt: Date;
}

/** A money movement. `moneyId` is the processor's invoice / order / payment id: effects apply once per id. */
export interface Money {
  moneyId: string;
  /** In the currency's minor unit (cents; yen for JPY). */
  amount: number;
  currency: string;
}

/**
 * The plan a payment bought, or null when the processor does not say. `subscriptionId` names the
 * subscription a payment is for when the processor's payment names no plan (Lemon Squeezy's invoices):
 * the core then takes the plan that subscription is billed on.
 */
interface PaymentPlan {
  planId: string | null;
  subscriptionId?: string;
}

/** The processor-independent facts the core applies. Processors map their webhooks into these. */
export type BillingEvent =
  | { type: 'checkout.completed'; ref: WorkspaceRef; customerId: string; sessionId: string; planId: string }
  | ({ type: 'payment.succeeded'; ref: WorkspaceRef; money: Money; paidAt: Date } & PaymentPlan)
  | ({ type: 'payment.failed'; ref: WorkspaceRef; money: Money; failedAt: Date; reason: string | null } & PaymentPlan)
  // amountRefunded is the payment's cumulative refunded total, so a repeated or reordered refund is harmless.
  | { type: 'payment.refunded'; ref: WorkspaceRef; moneyId: string; amountRefunded: number; currency: string; refundedAt: Date }
  | { type: 'subscription.changed'; ref: WorkspaceRef; subscription: SubscriptionSnapshot }
  // The processor's final description of the subscription: planId is its plan at the end (null when
  // the processor's price/variant is not one of ours), so the end is complete whatever arrived before it.
  | {
      type: 'subscription.ended';
      ref: WorkspaceRef;
      subscriptionId: string;
      planId: string | null;
      currentPeriodEnd: Date | null;
      endedAt: Date;
      occurredAt: Date;
    };

export type BillingEventType = BillingEvent['type'];

/** One webhook delivery, verified and mapped: the unit the core records and applies atomically. */
export interface ParsedDelivery {
  /** Unique per processor; a second delivery with the same id has no effect. */
  eventId: string;
  /** The processor's own event name, kept for the delivery log. */
  type: string;
  /** Empty for event types we acknowledge but do not act on. */
  events: BillingEvent[];
  payload: unknown;
  /**
   * Verified, but not about us (another customer's, price's or product's event): acknowledged (2xx) and
   * recorded as ignored with this reason. `events` is empty.
   */
  ignoredReason?: string;
  /**
   * Verified and possibly ours, but unreadable (a shape we do not know, another API version): stored as
   * failed with this error and the payload, logged, replayable once the cause is fixed. `events` is empty.
   */
  unreadable?: string;
}
