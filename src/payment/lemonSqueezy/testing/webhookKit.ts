import { loadProcessorPlanIds } from '../../processorPlanIds.js';
import type { WebhookKit } from '../../webhookKit.js';
import { parseLemonSqueezyWebhook } from '../webhook/lemonSqueezyWebhook.js';
import { LEMON_SQUEEZY_SIGNATURE_HEADER, signLemonSqueezyPayload } from '../webhook/verifyLemonSqueezySignature.js';
import { TEST_PLAN_ENV, TEST_WEBHOOK_SECRET } from './lemonSqueezyPayloads.js';

const deps = { webhookSecret: TEST_WEBHOOK_SECRET, planIds: loadProcessorPlanIds(TEST_PLAN_ENV) };

export const webhookKit: WebhookKit = {
  id: 'lemonsqueezy',
  parse: (rawBody, headers) => parseLemonSqueezyWebhook(rawBody, headers, deps),
  sign: (rawBody) => ({ [LEMON_SQUEEZY_SIGNATURE_HEADER]: signLemonSqueezyPayload(rawBody, TEST_WEBHOOK_SECRET) }),
  headerNames: [LEMON_SQUEEZY_SIGNATURE_HEADER, 'x-event-name', 'content-type'],
};
