// The webhook deliveries both the pipeline and the floor apply: credit-pack payments with distinct money
// ids and subscription changes, round-robin over many workspaces, signed in the fake processor's format.
import { randomBytes, randomUUID } from 'node:crypto';
import { signEventsPayload as signFakePayload } from '../src/test/eventsWire.js';
import { paymentSucceeded, subscriptionChanged } from '../src/test/fakeEvents.js';
import type { SeededWorkspace } from './database.js';

// Random per run: the servers started here are given it (FAKE_WEBHOOK_SECRET).
export const FAKE_SECRET = `whsec_fake_${randomBytes(18).toString('base64url')}`;
/** 7 in 10 deliveries are payments, 3 in 10 subscription changes. */
export const PAYMENT_SHARE = 0.7;

export type Delivery =
  | { kind: 'payment'; eventId: string; body: string; signature: string; workspaceId: string; moneyId: string; amount: number; paidAt: string }
  | {
      kind: 'subscription';
      eventId: string;
      body: string;
      signature: string;
      workspaceId: string;
      subscriptionId: string;
      cancelAtPeriodEnd: boolean;
      currentPeriodEnd: string;
      occurredAt: string;
    };

// Every subscription change is newer than the last one (per workspace and across runs), and flips
// cancel-at-period-end, so half of them are a "cancelled" transition that queues an email.
let clock = Date.now();
const cancelState = new Map<string, boolean>();

export function buildDeliveries(workspaces: SeededWorkspace[], count: number, tag: string): Delivery[] {
  clock = Math.max(clock, Date.now());
  const run = randomUUID().slice(0, 8);
  return Array.from({ length: count }, (_, i): Delivery => {
    const workspace = workspaces[i % workspaces.length]!;
    if (i % 10 < PAYMENT_SHARE * 10) {
      const moneyId = `pi_${tag}_${run}_${i}`;
      const delivery = paymentSucceeded(workspace.id, { moneyId, planId: 'credits10', amount: 990 });
      const body = JSON.stringify(delivery);
      return { kind: 'payment', eventId: delivery.id, body, signature: signFakePayload(body, FAKE_SECRET), workspaceId: workspace.id, moneyId, amount: 990, paidAt: delivery.data.paidAt };
    }
    const cancelAtPeriodEnd = !(cancelState.get(workspace.id) ?? false);
    cancelState.set(workspace.id, cancelAtPeriodEnd);
    const occurredAt = new Date(++clock);
    const currentPeriodEnd = new Date('2027-01-01T00:00:00Z');
    const subscriptionId = `sub_bench_${workspace.id}`;
    const delivery = subscriptionChanged({ workspaceId: workspace.id }, { subscriptionId, planId: 'pro', status: 'active', cancelAtPeriodEnd, currentPeriodEnd, occurredAt });
    const body = JSON.stringify(delivery);
    return {
      kind: 'subscription',
      eventId: delivery.id,
      body,
      signature: signFakePayload(body, FAKE_SECRET),
      workspaceId: workspace.id,
      subscriptionId,
      cancelAtPeriodEnd,
      currentPeriodEnd: currentPeriodEnd.toISOString(),
      occurredAt: occurredAt.toISOString(),
    };
  });
}

/** The tables a delivery writes, for the rows-per-delivery check of pipeline versus floor. */
export const WRITTEN_TABLES = ['WebhookDelivery', 'Payment', 'CreditLedger', 'AuditEvent', 'EmailOutbox'] as const;
