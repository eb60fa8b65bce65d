import { randomUUID } from 'node:crypto';

/** Builders for fake-processor deliveries (`{ id, type, data }`), one normalized event each. */
const eventId = () => `evt_${randomUUID()}`;

export function paymentSucceeded(
  workspaceId: string,
  o: { moneyId: string; planId: string | null; subscriptionId?: string; amount?: number; currency?: string; paidAt?: Date; id?: string },
) {
  return {
    id: o.id ?? eventId(),
    type: 'payment.succeeded',
    data: {
      ref: { workspaceId },
      money: { moneyId: o.moneyId, amount: o.amount ?? 990, currency: o.currency ?? 'usd' },
      planId: o.planId,
      ...(o.subscriptionId && { subscriptionId: o.subscriptionId }),
      paidAt: (o.paidAt ?? new Date()).toISOString(),
    },
  };
}

export function paymentFailed(workspaceId: string, o: { moneyId: string; amount?: number; failedAt?: Date; id?: string }) {
  return {
    id: o.id ?? eventId(),
    type: 'payment.failed',
    data: {
      ref: { workspaceId },
      money: { moneyId: o.moneyId, amount: o.amount ?? 2900, currency: 'usd' },
      planId: 'pro',
      failedAt: (o.failedAt ?? new Date()).toISOString(),
      reason: 'card_declined',
    },
  };
}

export function paymentRefunded(workspaceId: string, o: { moneyId: string; amountRefunded: number; currency?: string; id?: string }) {
  return {
    id: o.id ?? eventId(),
    type: 'payment.refunded',
    data: { ref: { workspaceId }, moneyId: o.moneyId, amountRefunded: o.amountRefunded, currency: o.currency ?? 'usd', refundedAt: new Date().toISOString() },
  };
}

export interface SubscriptionFields {
  subscriptionId: string;
  planId?: string;
  status?: string;
  cancelAtPeriodEnd?: boolean;
  currentPeriodEnd?: Date;
  trialEnd?: Date;
  occurredAt: Date;
}

export function subscriptionSnapshot(s: SubscriptionFields) {
  return {
    subscriptionId: s.subscriptionId,
    planId: s.planId ?? 'pro',
    status: s.status ?? 'active',
    cancelAtPeriodEnd: s.cancelAtPeriodEnd ?? false,
    currentPeriodEnd: (s.currentPeriodEnd ?? new Date('2027-01-01T00:00:00Z')).toISOString(),
    trialEnd: s.trialEnd?.toISOString() ?? null,
    occurredAt: s.occurredAt.toISOString(),
  };
}

export function subscriptionChanged(ref: { workspaceId?: string; customerId?: string }, s: SubscriptionFields, id = eventId()) {
  return { id, type: 'subscription.changed', data: { ref, subscription: subscriptionSnapshot(s) } };
}

export function subscriptionEnded(workspaceId: string, o: { subscriptionId: string; occurredAt: Date; planId?: string | null; id?: string }) {
  return {
    id: o.id ?? eventId(),
    type: 'subscription.ended',
    data: {
      ref: { workspaceId },
      subscriptionId: o.subscriptionId,
      planId: o.planId ?? null,
      endedAt: o.occurredAt.toISOString(),
      occurredAt: o.occurredAt.toISOString(),
    },
  };
}

export function checkoutCompleted(workspaceId: string, o: { customerId: string; planId?: string; id?: string }) {
  return {
    id: o.id ?? eventId(),
    type: 'checkout.completed',
    data: { ref: { workspaceId }, customerId: o.customerId, sessionId: `cs_${randomUUID()}`, planId: o.planId ?? 'pro' },
  };
}
