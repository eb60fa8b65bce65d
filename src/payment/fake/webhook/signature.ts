import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { WebhookPayloadError, WebhookSignatureError } from '../../webhookErrors.js';

export const FAKE_SIGNATURE_HEADER = 'fake-signature';

/** What the fake puts in its signature header: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export function signFakePayload(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Verifies the signature over the bytes received and returns the parsed JSON. Constant-time, after a
 * length check (timingSafeEqual needs equal lengths); messages never echo the secret or the body.
 */
export function verifyFakeSignature(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): unknown {
  const header = headers[FAKE_SIGNATURE_HEADER];
  if (header === undefined || header === '') throw new WebhookSignatureError(`Missing ${FAKE_SIGNATURE_HEADER} header: not a fake processor webhook`);
  if (typeof header !== 'string') throw new WebhookSignatureError(`More than one ${FAKE_SIGNATURE_HEADER} header`);
  const given = Buffer.from(header);
  const expected = Buffer.from(signFakePayload(rawBody, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureError('Fake processor webhook signature does not match the payload (wrong FAKE_WEBHOOK_SECRET, or the body was altered)');
  }
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('Fake processor webhook body is not JSON');
  }
}
