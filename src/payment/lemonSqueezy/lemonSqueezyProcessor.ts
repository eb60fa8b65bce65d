import type { ProcessorDriver } from '../paymentProcessor.js';
import { createLemonSqueezyCheckout } from './lemonSqueezyCheckout.js';
import { describeLemonSqueezy, setUpLemonSqueezySdk } from './lemonSqueezyClient.js';
import { loadLemonSqueezySettings, type LemonSqueezyOverrides, type LemonSqueezySettings } from './lemonSqueezyConfig.js';
import { fetchLemonSqueezyCustomerState } from './lemonSqueezyCustomerState.js';
import { lemonSqueezyCaller } from './lemonSqueezyErrors.js';
import { fetchLemonSqueezyPortalUrl } from './lemonSqueezyPortal.js';
import { fetchLemonSqueezySubscription } from './lemonSqueezySubscription.js';
import { lemonSqueezyRefunds } from './lemonSqueezyRefunds.js';
import { lemonSqueezySubscriptionChanges } from './lemonSqueezySubscriptionChanges.js';
import { lemonSqueezyWebhookEndpoint } from './lemonSqueezyWebhookEndpoint.js';
import { LEMON_SQUEEZY_SIGNATURE_HEADER } from './webhook/verifyLemonSqueezySignature.js';
import { mapStoredLemonSqueezyPayload, parseLemonSqueezyWebhook } from './webhook/lemonSqueezyWebhook.js';

export type { LemonSqueezyOverrides, LemonSqueezySettings } from './lemonSqueezyConfig.js';

export interface LemonSqueezyDriver extends ProcessorDriver {
  id: 'lemonsqueezy';
}

/**
 * The Lemon Squeezy processor from resolved settings: checkout, portal, refetch, subscription changes,
 * webhook mapping and the webhook's setup through the API.
 * No createCustomer: Lemon Squeezy creates (or finds) the customer when the buyer pays, and order_created
 * links it to the workspace. Sets up the SDK's module-wide key (one Lemon Squeezy account per process,
 * see lemonSqueezyClient.ts) and, only with an apiUrl, the fetch redirect (apiOrigin.ts).
 */
export function createLemonSqueezyDriver(settings: LemonSqueezySettings): LemonSqueezyDriver {
  setUpLemonSqueezySdk(settings);
  const caller = lemonSqueezyCaller({ apiKey: settings.apiKey, timeoutMs: settings.timeoutMs });
  const { planIds, storeId, webhookSecret } = settings;
  return {
    id: 'lemonsqueezy',
    signatureHeader: LEMON_SQUEEZY_SIGNATURE_HEADER,
    planIds,
    createCheckoutSession: (request) => createLemonSqueezyCheckout(caller, request, { storeId, planIds }),
    fetchCustomerPortalUrl: ({ customerId }) => fetchLemonSqueezyPortalUrl(caller, customerId),
    fetchSubscription: (subscriptionId) => fetchLemonSqueezySubscription(caller, subscriptionId, planIds),
    fetchCustomerState: (request) => fetchLemonSqueezyCustomerState(caller, request, { storeId, planIds }),
    ...lemonSqueezySubscriptionChanges(caller),
    ...lemonSqueezyRefunds(caller),
    webhookEndpoint: lemonSqueezyWebhookEndpoint(caller, { storeId }),
    parseWebhook: async (rawBody, headers) => parseLemonSqueezyWebhook(rawBody, headers, { webhookSecret, planIds }),
    mapStoredPayload: async (payload, type) => mapStoredLemonSqueezyPayload(payload, type, planIds),
    describe: () => describeLemonSqueezy(settings),
  };
}

/**
 * The registry's factory: reads LEMONSQUEEZY_* and PAYMENTS_*_PLAN_ID (variant ids) from env. The
 * emulator wiring passes `{ apiUrl, apiKey, storeId, webhookSecret, planIdDefaults }`; an override wins
 * over its variable.
 */
export function createLemonSqueezyProcessor(env: NodeJS.ProcessEnv, overrides: LemonSqueezyOverrides = {}): LemonSqueezyDriver {
  return createLemonSqueezyDriver(loadLemonSqueezySettings(env, overrides));
}
