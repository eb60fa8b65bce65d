import { loadProcessorPlanIds } from '../../processorPlanIds.js';
import type { WebhookKit } from '../../webhookKit.js';
import { parseStripeWebhook } from '../webhook/stripeWebhook.js';
import { signStripeDelivery, TEST_PLAN_ENV, TEST_WEBHOOK_SECRET } from './stripeObjects.js';

const deps = { webhookSecret: TEST_WEBHOOK_SECRET, planIds: loadProcessorPlanIds(TEST_PLAN_ENV), findInvoiceOfPaymentIntent: async () => null };

export const webhookKit: WebhookKit = {
  id: 'stripe',
  parse: (rawBody, headers) => parseStripeWebhook(rawBody, headers, deps),
  sign: (rawBody) => signStripeDelivery(null, { body: rawBody.toString('utf8') }).headers,
  headerNames: ['stripe-signature', 'content-type'],
};
