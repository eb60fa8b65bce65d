import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import { WebhookPayloadError, WebhookSignatureError } from '../../webhookErrors.js';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';
/** Stripe's default: a signed delivery older than this is refused as a possible replay. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Verifies the signature over the exact bytes received and returns the parsed JSON. Our messages say
 * what is wrong without echoing the secret, the header or the body.
 */
export function verifyStripeSignature(rawBody: Buffer, headers: IncomingHttpHeaders, secret: string): unknown {
  const header = headers[STRIPE_SIGNATURE_HEADER];
  if (header === undefined || header === '') throw new WebhookSignatureError(`Missing ${STRIPE_SIGNATURE_HEADER} header: not a Stripe webhook`);
  if (typeof header !== 'string') throw new WebhookSignatureError(`More than one ${STRIPE_SIGNATURE_HEADER} header`);
  try {
    // verifyHeader, not constructEvent: that one refuses a signed v2 "thin" event, which is acknowledged (ignored).
    Stripe.webhooks.signature!.verifyHeader(rawBody, header, secret, STRIPE_WEBHOOK_TOLERANCE_SECONDS);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) throw new WebhookSignatureError(signatureProblem(error.message));
    throw error;
  }
  try {
    return JSON.parse(rawBody.toString('utf8')) as unknown;
  } catch {
    throw new WebhookPayloadError('Stripe webhook body is not a Stripe event: not JSON');
  }
}

function signatureProblem(stripeMessage: string): string {
  if (/tolerance/i.test(stripeMessage)) {
    return `Stripe webhook timestamp is more than ${STRIPE_WEBHOOK_TOLERANCE_SECONDS} seconds old (a replay, or a clock far off)`;
  }
  if (/extract timestamp|expected scheme/i.test(stripeMessage)) return `Malformed ${STRIPE_SIGNATURE_HEADER} header: no timestamp or v1 signature`;
  if (/No signatures found matching/i.test(stripeMessage)) {
    return 'Stripe webhook signature does not match the payload (wrong STRIPE_WEBHOOK_SECRET, or the body was altered or re-serialized)';
  }
  return 'Stripe webhook signature could not be verified';
}
