import Stripe from 'stripe';
import { ProcessorError, type ProcessorErrorKind } from '../paymentProcessor.js';

const { errors } = Stripe;

// Stripe masks keys in its messages but keeps a prefix and the last characters; we drop them all.
const KEY_PATTERN = /\b(sk|rk|pk)_[A-Za-z0-9*_]+/g;

/**
 * Classifies a failed SDK call. `what` says what failed ("Could not create the checkout session");
 * Stripe's own message follows, since it is written for the caller (e.g. "Your card was declined.").
 * Nothing of the request or the key is included. Errors that are not Stripe's are returned as they
 * are: they are bugs, not processor failures.
 */
export function toProcessorError(error: unknown, what: string): unknown {
  if (!(error instanceof errors.StripeError)) return error;
  const kind = kindOf(error);
  const detail =
    kind === 'authentication'
      ? error instanceof errors.StripePermissionError
        ? 'the API key may not do this (check the restricted key’s permissions)'
        : 'Stripe rejected the API key (check STRIPE_API_KEY)'
      : safeMessage(error.message);
  return new ProcessorError(kind, `${what}: ${detail}`);
}

// Named through `Stripe`: declaration emit (Wasp's SDK build) cannot name the type of `errors` above.
export function kindOf(error: InstanceType<typeof Stripe.errors.StripeError>): ProcessorErrorKind {
  if (error instanceof errors.StripeCardError) return 'card';
  if (error instanceof errors.StripeInvalidRequestError || error instanceof errors.StripeIdempotencyError) return 'invalid_request';
  if (error instanceof errors.StripeAuthenticationError || error instanceof errors.StripePermissionError) return 'authentication';
  if (error instanceof errors.StripeRateLimitError) return 'rate_limit';
  if (error instanceof errors.StripeConnectionError) return 'connection';
  return 'api';
}

function safeMessage(message: string | undefined): string {
  const text = (message ?? '').replace(KEY_PATTERN, '[key]').trim();
  return text || 'Stripe returned an error without a message';
}

/** Runs one SDK call; a Stripe failure becomes a ProcessorError prefixed with `what`. */
export async function callStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProcessorError(error, what);
  }
}

/** A 404 (no such object), for lookups that answer "not found" with null. */
export function isNotFound(error: unknown): boolean {
  return error instanceof errors.StripeInvalidRequestError && (error.statusCode === 404 || error.code === 'resource_missing');
}
