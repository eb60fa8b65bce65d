import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseEnv } from '../../config/parseEnv.js';
import type { BillingEvent, SubscriptionSnapshot } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { WebhookPayloadError } from '../webhookErrors.js';
import { FAKE_SIGNATURE_HEADER, mapFakePayload, parseFakeWebhook } from './fakeWebhook.js';

const fakeEnvSchema = z.object({
  // Unset: a random secret per process (whoever drives the fake reads it from the driver), never one in the source.
  FAKE_WEBHOOK_SECRET: z.string().min(8).default(() => `whsec_fake_${randomBytes(18).toString('base64url')}`),
});

export interface FakeDriver extends ProcessorDriver {
  /** The fake's "account": subscriptions as the processor would report them on a refetch. */
  subscriptions: Map<string, SubscriptionSnapshot>;
  /** What the fake's account holds for each workspace (by workspace id), as fetchCustomerState reports it. */
  accounts: Map<string, BillingEvent[]>;
  webhookSecret: string;
}

/**
 * A processor that moves no money, for development and tests, and the template a new processor
 * copies: validate env, map plans, verify and map webhooks, never touch the database. Checkout
 * returns straight to the success URL; its webhooks are sent by whoever drives it (the tests).
 */
export function createFakeProcessor(env: NodeJS.ProcessEnv): FakeDriver {
  const { FAKE_WEBHOOK_SECRET } = parseEnv(fakeEnvSchema, env);
  const subscriptions = new Map<string, SubscriptionSnapshot>();
  const accounts = new Map<string, BillingEvent[]>();
  return {
    id: 'fake',
    signatureHeader: FAKE_SIGNATURE_HEADER,
    webhookSecret: FAKE_WEBHOOK_SECRET,
    subscriptions,
    accounts,
    planIds: loadProcessorPlanIds(env, { hobby: 'fake_price_hobby', pro: 'fake_price_pro', credits10: 'fake_price_credits10' }),
    async createCustomer({ workspace }) {
      return `fake_cus_${workspace.id}`;
    },
    async createCheckoutSession(request) {
      const sessionId = `fake_cs_${request.idempotencyKey}`;
      const url = new URL(request.successUrl);
      url.searchParams.set('session_id', sessionId);
      return { sessionId, sessionUrl: url.toString() };
    },
    async fetchCustomerPortalUrl({ customerId, returnUrl }) {
      const url = new URL(returnUrl);
      url.searchParams.set('fake_portal_customer', customerId);
      return url.toString();
    },
    async parseWebhook(rawBody, headers) {
      return parseFakeWebhook(rawBody, headers, FAKE_WEBHOOK_SECRET);
    },
    async mapStoredPayload(payload, type) {
      const delivery = mapFakePayload(payload);
      if (delivery.type !== type) throw new WebhookPayloadError(`Stored fake payload is a ${delivery.type} event, not ${type}`);
      return delivery;
    },
    async fetchSubscription(subscriptionId) {
      return subscriptions.get(subscriptionId) ?? null;
    },
    async fetchCustomerState({ workspaceId }) {
      return accounts.get(workspaceId) ?? [];
    },
  };
}
