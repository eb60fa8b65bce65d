import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseEnv } from '../config/parseEnv.js';
import type { BillingEvent, SubscriptionSnapshot } from '../payment/events.js';
import type { ProcessorDriver } from '../payment/paymentProcessor.js';
import { loadProcessorPlanIds } from '../payment/processorPlanIds.js';
import { WebhookPayloadError } from '../payment/webhookErrors.js';
import { EVENTS_SIGNATURE_HEADER, mapEventsPayload, parseEventsWebhook } from './eventsWire.js';

const eventsEnvSchema = z.object({
  // Unset: a random secret per process (the tests read it from the driver), never one in the source.
  FAKE_WEBHOOK_SECRET: z.string().min(8).default(() => `whsec_fake_${randomBytes(18).toString('base64url')}`),
});

export interface EventsDriver extends ProcessorDriver {
  /** Its "account": subscriptions as the processor would report them on a refetch. */
  subscriptions: Map<string, SubscriptionSnapshot>;
  /** What its account holds for each workspace (by workspace id), as fetchCustomerState reports it. */
  accounts: Map<string, BillingEvent[]>;
  webhookSecret: string;
}

/**
 * The core's test processor: its webhooks are the normalized events (eventsWire.ts), sent by the tests
 * themselves, and its "account" is two maps the tests fill. It answers as `fake` (and FAKE_WEBHOOK_SECRET),
 * the id the core's tests have always read, but is never registered: the fake processor a newcomer copies
 * is src/payment/fake/. Checkout returns straight to the success URL.
 */
export function createEventsProcessor(env: NodeJS.ProcessEnv): EventsDriver {
  const { FAKE_WEBHOOK_SECRET } = parseEnv(eventsEnvSchema, env);
  const subscriptions = new Map<string, SubscriptionSnapshot>();
  const accounts = new Map<string, BillingEvent[]>();
  return {
    id: 'fake',
    signatureHeader: EVENTS_SIGNATURE_HEADER,
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
      return parseEventsWebhook(rawBody, headers, FAKE_WEBHOOK_SECRET);
    },
    async mapStoredPayload(payload, type) {
      const delivery = mapEventsPayload(payload);
      if (delivery.type !== type) throw new WebhookPayloadError(`Stored payload is a ${delivery.type} event, not ${type}`);
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
