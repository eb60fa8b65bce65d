import { randomBytes } from 'node:crypto';
import type { WebhookKit } from '../../webhookKit.js';
import { FAKE_SIGNATURE_HEADER, parseFakeWebhook, signFakePayload } from '../fakeWebhook.js';

const secret = `whsec_fake_${randomBytes(18).toString('base64url')}`;

export const webhookKit: WebhookKit = {
  id: 'fake',
  parse: (rawBody, headers) => parseFakeWebhook(rawBody, headers, secret),
  sign: (rawBody) => ({ [FAKE_SIGNATURE_HEADER]: signFakePayload(rawBody.toString('utf8'), secret) }),
  headerNames: [FAKE_SIGNATURE_HEADER, 'content-type'],
};
