import { createEventsProcessor } from '../test/eventsProcessor.js';
import { createLemonSqueezyProcessor } from '../payment/lemonSqueezy/lemonSqueezyProcessor.js';
import { TEST_STORE_ID } from '../payment/lemonSqueezy/testing/lemonSqueezyPayloads.js';
import type { ProcessorDriver } from '../payment/paymentProcessor.js';
import { createStripeProcessor } from '../payment/stripe/stripeProcessor.js';

/**
 * Nothing listens here: the histories' own deliveries need no API call (a pack refund's charge carries
 * our metadata; no two states of a subscription share a second, so no refetch). A call would fail at
 * once and the delivery answer 5xx, which the chaos run reports.
 */
export const NO_API = 'http://127.0.0.1:9';

/**
 * The real processor a chaos server runs (CHAOS_PROCESSOR), with the webhook secret and plan ids of its
 * env. CHAOS_API_URL: an emulator for the calls a mapping makes (Stripe looks up the invoice of a bare
 * charge's payment intent to tell whether its refund is ours).
 */
export function createChaosDriver(env: NodeJS.ProcessEnv): ProcessorDriver {
  const processor = env.CHAOS_PROCESSOR ?? 'fake';
  switch (processor) {
    case 'fake':
      return createEventsProcessor(env);
    case 'stripe':
      return createStripeProcessor(env, { apiKey: 'sk_test_chaos_no_api', apiUrl: env.CHAOS_API_URL ?? NO_API, maxNetworkRetries: 0, timeoutMs: 2_000 });
    case 'lemonsqueezy':
      return createLemonSqueezyProcessor(env, { apiKey: 'chaos_no_api', storeId: TEST_STORE_ID, apiUrl: NO_API, timeoutMs: 2_000 });
    default:
      throw new Error(`CHAOS_PROCESSOR="${processor}": fake, stripe or lemonsqueezy`);
  }
}
