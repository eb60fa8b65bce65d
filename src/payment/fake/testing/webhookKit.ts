import type { WebhookKit } from '../../webhookKit.js';
import { loadFakeConfig } from '../fakeConfig.js';
import { parseFakeWebhook } from '../webhook/fakeWebhook.js';
import { FAKE_SIGNATURE_HEADER, signFakePayload } from '../webhook/signature.js';

// A random secret and the default price ids.
const config = loadFakeConfig({});

export const webhookKit: WebhookKit = {
  id: 'fake',
  parse: (rawBody, headers) => parseFakeWebhook(rawBody, headers, config),
  sign: (rawBody) => ({ [FAKE_SIGNATURE_HEADER]: signFakePayload(rawBody, config.webhookSecret) }),
  headerNames: [FAKE_SIGNATURE_HEADER, 'content-type'],
};
