import type Stripe from 'stripe';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { createStripeCheckoutSession } from './stripeCheckout.js';
import { createStripeClient, describeStripe } from './stripeClient.js';
import { loadStripeSettings, type StripeOverrides, type StripeSettings } from './stripeConfig.js';
import { createStripeCustomer } from './stripeCustomer.js';
import { fetchStripeCustomerState } from './stripeCustomerState.js';
import { fetchStripePortalUrl } from './stripePortal.js';
import { fetchStripeSubscription } from './stripeSubscription.js';
import { stripeRefunds } from './stripeRefunds.js';
import { stripeWebhookEndpoint } from './stripeWebhookEndpoint.js';
import { stripeSubscriptionChanges } from './stripeSubscriptionChanges.js';
import { findInvoiceOfPaymentIntent } from './webhook/invoiceOfPaymentIntent.js';
import { WebhookPayloadError } from '../webhookErrors.js';
import { mapStripeEvent, parseStripeWebhook } from './webhook/stripeWebhook.js';

export type { StripeOverrides, StripeSettings } from './stripeConfig.js';

export interface StripeDriver extends ProcessorDriver {
  id: 'stripe';
  /** The SDK client the driver calls (for the emulator wiring and tests; never exposes the key in logs). */
  readonly stripe: Stripe;
}

/** The Stripe processor from resolved settings: checkout, portal, refetch, reconciliation reads, subscription changes and webhook mapping. */
export function createStripeDriver(settings: StripeSettings): StripeDriver {
  const stripe = createStripeClient(settings);
  const { planIds } = settings;
  const mapDeps = { planIds, findInvoiceOfPaymentIntent: (paymentIntentId: string) => findInvoiceOfPaymentIntent(stripe, paymentIntentId, planIds) };
  return {
    id: 'stripe',
    stripe,
    signatureHeader: 'stripe-signature',
    planIds,
    createCustomer: (args) => createStripeCustomer(stripe, args),
    createCheckoutSession: (request) => createStripeCheckoutSession(stripe, request, settings),
    fetchCustomerPortalUrl: (args) => fetchStripePortalUrl(stripe, args, settings.customerPortalFallbackUrl),
    fetchSubscription: (subscriptionId) => fetchStripeSubscription(stripe, subscriptionId, planIds),
    fetchCustomerState: (request) => fetchStripeCustomerState(stripe, request, mapDeps),
    ...stripeSubscriptionChanges(stripe),
    ...stripeRefunds(stripe),
    webhookEndpoint: stripeWebhookEndpoint(stripe),
    parseWebhook: (rawBody, headers) => parseStripeWebhook(rawBody, headers, { webhookSecret: settings.webhookSecret, ...mapDeps }),
    async mapStoredPayload(payload, type) {
      const delivery = await mapStripeEvent(payload, mapDeps);
      if (delivery.type !== type) throw new WebhookPayloadError(`Stored Stripe payload is a ${delivery.type} event, not ${type}`);
      return delivery;
    },
    describe: () => describeStripe(settings),
  };
}

/**
 * The registry's factory: reads STRIPE_* and PAYMENTS_*_PLAN_ID from env. The emulator wiring passes
 * `{ apiUrl, apiKey, webhookSecret, planIdDefaults }`; an override wins over its variable.
 */
export function createStripeProcessor(env: NodeJS.ProcessEnv, overrides: StripeOverrides = {}): StripeDriver {
  return createStripeDriver(loadStripeSettings(env, overrides));
}
