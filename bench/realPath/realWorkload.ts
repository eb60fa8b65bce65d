// The real path's deliveries: Stripe and Lemon Squeezy webhooks built with the same typed builders the
// contract tests use (the shapes the processors publish), signed as each processor signs, 7 in 10 credit
// packs and 3 in 10 subscription changes, round-robin over the workspaces billed at that processor.
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { lsOrder, lsSubscription, lsWebhook, signLemonSqueezyDelivery } from '../../src/payment/lemonSqueezy/testing/lemonSqueezyPayloads.js';
import { signStripeDelivery, stripeCheckoutSession, stripeEvent, stripeSubscription } from '../../src/payment/stripe/testing/stripeObjects.js';
import type { SeededWorkspace } from '../database.js';
import { PAYMENT_SHARE } from '../workload.js';

export const REAL_PROCESSORS = ['stripe', 'lemonsqueezy'] as const;
export type RealProcessor = (typeof REAL_PROCESSORS)[number];

// Random per run, given to the servers started here: no secret is written in the source.
export const REAL_SECRETS: Record<RealProcessor, string> = {
  stripe: `whsec_${randomBytes(24).toString('base64url')}`,
  lemonsqueezy: randomBytes(24).toString('hex'),
};

// The ids `npm start` gives its emulators (stripeEmulatorMode.ts, lemonSqueezyEmulatorMode.ts): a
// delivery naming other ids would be another store's, ignored, and the bench refuses ignored answers.
const STRIPE_PRICE = { pro: 'price_pro', credits10: 'price_credits10' };
const LS_STORE_ID = 1;
const LS_VARIANT = { pro: '1002', credits10: '1003' };

export interface RealDelivery {
  processor: RealProcessor;
  kind: 'credits' | 'subscription';
  workspaceId: string;
  body: string;
  headers: Record<string, string>;
}

/** A workspace billed at one processor: its customer and subscription there (seeded before the run). */
export interface BilledAt {
  workspace: SeededWorkspace;
  processor: RealProcessor;
  customerId: string;
  subscriptionId: string;
}

/** Splits the workspaces between the processors and writes each one's customer and active Pro subscription. */
export async function seedBilling(pool: pg.Pool, workspaces: SeededWorkspace[]): Promise<Record<RealProcessor, BilledAt[]>> {
  const billed = workspaces.map((workspace, i): BilledAt => {
    const processor = REAL_PROCESSORS[i % REAL_PROCESSORS.length]!;
    return processor === 'stripe'
      ? { workspace, processor, customerId: `cus_bench${i}`, subscriptionId: `sub_bench${i}` }
      : { workspace, processor, customerId: String(700_000 + i), subscriptionId: String(800_000 + i) };
  });
  const column = (pick: (b: BilledAt) => string) => billed.map(pick);
  await pool.query(
    `INSERT INTO "Customer" (id, "workspaceId", processor, "customerId") SELECT gen_random_uuid()::text, w, p, c FROM unnest($1::text[], $2::text[], $3::text[]) AS t(w, p, c)`,
    [column((b) => b.workspace.id), column((b) => b.processor), column((b) => b.customerId)],
  );
  await pool.query(
    `INSERT INTO "Subscription" (id, "workspaceId", processor, "subscriptionId", plan, status, "currentPeriodEnd", "processorUpdatedAt")
     SELECT gen_random_uuid()::text, w, p, s, 'pro', 'active', now() + interval '30 days', now() - interval '60 days' FROM unnest($1::text[], $2::text[], $3::text[]) AS t(w, p, s)`,
    [column((b) => b.workspace.id), column((b) => b.processor), column((b) => b.subscriptionId)],
  );
  return { stripe: billed.filter((b) => b.processor === 'stripe'), lemonsqueezy: billed.filter((b) => b.processor === 'lemonsqueezy') };
}

// Each subscription change is newer than the last (the processors' clocks only move forward), starting
// after the seeded state, and flips cancel-at-period-end, so half are a cancellation that emails the owners.
let subscriptionClock = Math.floor(Date.now() / 1000) - 50 * 86_400;
const cancelled = new Map<string, boolean>();

function nextChange(b: BilledAt): { at: number; cancel: boolean } {
  const cancel = !(cancelled.get(b.subscriptionId) ?? false);
  cancelled.set(b.subscriptionId, cancel);
  return { at: ++subscriptionClock, cancel };
}

function stripeDelivery(b: BilledAt, credits: boolean): RealDelivery {
  const workspaceId = b.workspace.id;
  const periodEnd = Math.floor(Date.now() / 1000) + 30 * 86_400;
  let event;
  if (credits) {
    const session = stripeCheckoutSession({ mode: 'payment', customer: b.customerId, workspaceId, planId: 'credits10', paymentStatus: 'paid', amountTotal: 990, paymentIntent: `pi_${randomUUID().replaceAll('-', '')}` });
    event = stripeEvent('checkout.session.completed', session);
  } else {
    const change = nextChange(b);
    const subscription = stripeSubscription({ id: b.subscriptionId, customer: b.customerId, priceId: STRIPE_PRICE.pro, status: 'active', workspaceId, planId: 'pro', currentPeriodEnd: periodEnd, cancelAtPeriodEnd: change.cancel });
    event = stripeEvent('customer.subscription.updated', subscription, { created: change.at });
  }
  const { body, headers } = signStripeDelivery(event, { secret: REAL_SECRETS.stripe });
  return { processor: 'stripe', kind: credits ? 'credits' : 'subscription', workspaceId, body, headers };
}

function lemonSqueezyDelivery(b: BilledAt, credits: boolean): RealDelivery {
  const workspaceId = b.workspace.id;
  let webhook;
  if (credits) {
    const order = lsOrder({ customerId: b.customerId, variantId: LS_VARIANT.credits10, total: 990, createdAt: new Date().toISOString() });
    order.attributes.store_id = LS_STORE_ID;
    webhook = lsWebhook('order_created', order, { workspaceId, planId: 'credits10' });
  } else {
    const change = nextChange(b);
    const subscription = lsSubscription({
      id: b.subscriptionId,
      customerId: b.customerId,
      variantId: LS_VARIANT.pro,
      status: 'active',
      cancelled: change.cancel,
      renewsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      updatedAt: new Date(change.at * 1000).toISOString(),
    });
    subscription.attributes.store_id = LS_STORE_ID;
    webhook = lsWebhook('subscription_updated', subscription, { workspaceId, planId: 'pro' });
  }
  const { body, headers } = signLemonSqueezyDelivery(webhook, { secret: REAL_SECRETS.lemonsqueezy });
  return { processor: 'lemonsqueezy', kind: credits ? 'credits' : 'subscription', workspaceId, body, headers };
}

/** `count` deliveries to one processor's workspaces, signed now (a signature is only good for minutes). */
export function buildRealDeliveries(billed: BilledAt[], count: number): RealDelivery[] {
  return Array.from({ length: count }, (_, i) => {
    const b = billed[i % billed.length]!;
    const credits = i % 10 < PAYMENT_SHARE * 10;
    return b.processor === 'stripe' ? stripeDelivery(b, credits) : lemonSqueezyDelivery(b, credits);
  });
}
