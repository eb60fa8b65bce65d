import type Stripe from 'stripe';
import type { WebhookEndpointApi, WebhookEndpointSetup } from '../paymentProcessor.js';
import { compareEvents } from '../webhookEndpointEvents.js';
import { STRIPE_API_VERSION } from './stripeClient.js';
import { callStripe } from './stripeErrors.js';
import { mappedStripeEventTypes } from './webhook/stripeWebhook.js';

/** Exactly the event types the plugin acts on; Stripe sends nothing else to the endpoint. */
const EVENTS = [...mappedStripeEventTypes].sort();
const FIX = 'run npm run billing:webhook-endpoint';

/**
 * Stripe's webhook endpoints API for `npm run billing:webhook-endpoint` and the start-up check. Stripe
 * makes the signing secret and shows it only in the answer to the create call; `ensure` returns it that
 * once. An endpoint's API version is fixed when it is created, so an endpoint for the URL on another
 * version is replaced: a new one on the pinned version, the old one disabled (not deleted, so it can be
 * turned back on). Until the app has the new secret its deliveries fail the signature check, and Stripe
 * retries them for up to three days: none is lost.
 */
export function stripeWebhookEndpoint(stripe: Stripe): WebhookEndpointApi {
  async function endpointsFor(url: string): Promise<Stripe.WebhookEndpoint[]> {
    return callStripe('Could not list the webhook endpoints', async () => {
      const found: Stripe.WebhookEndpoint[] = [];
      for await (const endpoint of stripe.webhookEndpoints.list({ limit: 100 })) if (endpoint.url === url) found.push(endpoint);
      return found;
    });
  }

  return {
    secretVariable: 'STRIPE_WEBHOOK_SECRET',
    async ensure({ url }): Promise<WebhookEndpointSetup> {
      const enabled = (await endpointsFor(url)).filter((endpoint) => endpoint.status === 'enabled');
      const current = enabled.find((endpoint) => endpoint.api_version === STRIPE_API_VERSION);
      const setup = { apiVersion: STRIPE_API_VERSION, events: EVENTS };
      if (current) {
        if (compareEvents(EVENTS, current.enabled_events).same) return { action: 'unchanged', endpointId: current.id, secret: null, ...setup };
        await callStripe(`Could not update webhook endpoint ${current.id}`, () => stripe.webhookEndpoints.update(current.id, { enabled_events: EVENTS as Stripe.WebhookEndpointUpdateParams.EnabledEvent[] }));
        return { action: 'updated', endpointId: current.id, secret: null, ...setup };
      }
      const created = await callStripe(`Could not create a webhook endpoint for ${url}`, () =>
        stripe.webhookEndpoints.create({ url, api_version: STRIPE_API_VERSION, enabled_events: EVENTS as Stripe.WebhookEndpointCreateParams.EnabledEvent[], description: 'Billing plugin (npm run billing:webhook-endpoint)' }),
      );
      const disabled: { endpointId: string; why: string }[] = [];
      for (const old of enabled) {
        await callStripe(`Could not disable webhook endpoint ${old.id}`, () => stripe.webhookEndpoints.update(old.id, { disabled: true }));
        disabled.push({ endpointId: old.id, why: `it sends API version ${old.api_version ?? 'the account default'}, which an endpoint cannot change` });
      }
      return { action: 'created', endpointId: created.id, secret: created.secret ?? null, ...setup, ...(disabled.length > 0 && { disabled }) };
    },

    async check({ url }): Promise<string[]> {
      const enabled = (await endpointsFor(url)).filter((endpoint) => endpoint.status === 'enabled');
      if (enabled.length === 0) return [`Stripe has no enabled webhook endpoint for ${url} (${FIX})`];
      const problems = enabled.length > 1 ? [`Stripe has ${enabled.length} enabled webhook endpoints for ${url}: each event arrives ${enabled.length} times`] : [];
      const endpoint = enabled[0]!;
      if (endpoint.api_version !== STRIPE_API_VERSION) {
        problems.push(`Stripe webhook endpoint ${endpoint.id} sends API version ${endpoint.api_version ?? 'the account default'}, the plugin pins ${STRIPE_API_VERSION} (${FIX})`);
      }
      const { missing, extra } = compareEvents(EVENTS, endpoint.enabled_events);
      if (missing.length > 0) problems.push(`Stripe webhook endpoint ${endpoint.id} does not send ${missing.join(', ')} (${FIX})`);
      if (extra.length > 0) problems.push(`Stripe webhook endpoint ${endpoint.id} also sends ${extra.join(', ')}, which the plugin acknowledges and ignores`);
      return problems;
    },
  };
}

