import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { WebhookPayloadError, WebhookSignatureError } from '../../webhookErrors.js';

export const LEMON_SQUEEZY_SIGNATURE_HEADER = 'x-signature';
export const LEMON_SQUEEZY_EVENT_NAME_HEADER = 'x-event-name';

/** What Lemon Squeezy puts in X-Signature: the hex HMAC-SHA256 of the exact body bytes with the signing secret. */
export function signLemonSqueezyPayload(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Verifies X-Signature over the exact bytes received (the SDK has no verifier) and returns the parsed
 * JSON. The comparison is constant-time, after a length check (timingSafeEqual needs equal lengths).
 * Lemon Squeezy signs no timestamp, so a replayed delivery verifies: the delivery dedupe key, money ids
 * and the processor-time guard make a replay harmless. Messages never echo the secret, header or body.
 */
export function verifyLemonSqueezySignature(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): unknown {
  const header = headers[LEMON_SQUEEZY_SIGNATURE_HEADER];
  if (header === undefined || header === '') throw new WebhookSignatureError(`Missing ${LEMON_SQUEEZY_SIGNATURE_HEADER} header: not a Lemon Squeezy webhook`);
  if (typeof header !== 'string') throw new WebhookSignatureError(`More than one ${LEMON_SQUEEZY_SIGNATURE_HEADER} header`);
  if (!/^[0-9a-fA-F]{64}$/.test(header.trim())) throw new WebhookSignatureError(`Malformed ${LEMON_SQUEEZY_SIGNATURE_HEADER} header: not a hex HMAC-SHA256`);
  const given = Buffer.from(header.trim(), 'hex');
  const expected = Buffer.from(signLemonSqueezyPayload(rawBody, secret), 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new WebhookSignatureError(
      'Lemon Squeezy webhook signature does not match the payload (wrong LEMONSQUEEZY_WEBHOOK_SECRET, or the body was altered or re-serialized)',
    );
  }
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new WebhookPayloadError('Lemon Squeezy webhook body is not JSON');
  }
}

/** X-Event-Name must name the event the (signed) body is: a mismatch is a payload we cannot trust to route. */
export function checkEventNameHeader(headers: IncomingHttpHeaders, eventName: string): void {
  const header = headers[LEMON_SQUEEZY_EVENT_NAME_HEADER];
  if (typeof header !== 'string' || header === '') {
    throw new WebhookPayloadError(`Lemon Squeezy webhook has no ${LEMON_SQUEEZY_EVENT_NAME_HEADER} header (the body says ${eventName})`);
  }
  if (header !== eventName) {
    throw new WebhookPayloadError(`Lemon Squeezy webhook ${LEMON_SQUEEZY_EVENT_NAME_HEADER} header does not match meta.event_name (${eventName})`);
  }
}
