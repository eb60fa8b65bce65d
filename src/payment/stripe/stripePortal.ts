import Stripe from 'stripe';
import { toProcessorError } from './stripeErrors.js';

/**
 * A fresh billing portal session per click. Only when Stripe refuses because the account has no
 * portal configuration, and STRIPE_CUSTOMER_PORTAL_URL is set, is that (static, login-link) URL
 * returned instead; every other failure is reported.
 */
export async function fetchStripePortalUrl(
  stripe: Stripe,
  args: { customerId: string; returnUrl: string },
  fallbackUrl: string | undefined,
): Promise<string> {
  try {
    const session = await stripe.billingPortal.sessions.create({ customer: args.customerId, return_url: args.returnUrl });
    return session.url;
  } catch (error) {
    if (fallbackUrl && isMissingPortalConfiguration(error)) return fallbackUrl;
    throw toProcessorError(error, 'Could not open the customer portal');
  }
}

// Stripe answers 400 "No configuration provided and your test mode default configuration has not
// been created. Provide a configuration or create your default by saving your customer portal settings..."
function isMissingPortalConfiguration(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && /configuration/i.test(error.message);
}
