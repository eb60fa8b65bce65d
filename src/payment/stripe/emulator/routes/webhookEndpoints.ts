import { Router } from 'express';
import type Stripe from 'stripe';
import type { EmulatorContext } from '../context.js';
import { invalidRequest, parameterMissing } from '../errors.js';
import { API_VERSION } from '../events.js';
import { paramsOf } from '../http.js';
import { listPage } from '../list.js';
import { newWebhookEndpoint, withSecret } from '../objects/webhookEndpoint.js';
import { applyMetadata, checkKeys, optArray, optBool, optMetadata, optString, optUrl, type Params } from '../params.js';

// Stripe names every event type in its enum; the emulator takes `*` and any name of that form.
const EVENT_NAME = /^[a-z_]+(\.[a-z_]+)+$/;
const API_VERSION_NAME = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

function enabledEvents(params: Params, required: boolean): string[] | undefined {
  const list = optArray(params, 'enabled_events');
  if (list === undefined) {
    if (required) throw parameterMissing('enabled_events');
    return undefined;
  }
  return [
    ...new Set(
      list.map((value, i) => {
        if (typeof value !== 'string' || (value !== '*' && !EVENT_NAME.test(value))) {
          throw invalidRequest(`Invalid enabled_events[${i}]: must be '*' or an event type such as invoice.paid`, { param: `enabled_events[${i}]` });
        }
        return value;
      }),
    ),
  ];
}

/** A description: a string, or '' to unset it. */
function description(params: Params): string | null | undefined {
  const value = optString(params, 'description');
  return value === undefined ? undefined : value === '' ? null : value;
}

/**
 * Stripe's webhook endpoints API: create (url, enabled_events, api_version), list, retrieve, update
 * (url, enabled_events, disabled, description, metadata; the API version of an endpoint is fixed at
 * creation) and delete. The signing secret is in the create answer only. Deliveries go to the
 * emulator's one webhook URL, signed with the secret of the enabled endpoint for it and only for its
 * events (../shared/webhookTarget.ts); always in the emulator's own API version, whatever the endpoint says.
 */
export function webhookEndpointRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { store } = ctx;

  router.post('/v1/webhook_endpoints', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, { supported: ['url', 'enabled_events', 'api_version', 'description', 'metadata', 'expand'], knownToStripe: ['connect'] });
    const url = optUrl(params, 'url');
    if (url === undefined) throw parameterMissing('url');
    const apiVersion = optString(params, 'api_version');
    if (apiVersion !== undefined && !API_VERSION_NAME.test(apiVersion)) throw invalidRequest(`Invalid api_version: ${apiVersion}`, { param: 'api_version' });
    const record = newWebhookEndpoint(
      { url, enabled_events: enabledEvents(params, true)!, api_version: apiVersion ?? API_VERSION, description: description(params) ?? null, metadata: applyMetadata({}, optMetadata(params)) },
      ctx.clock.nowSec(),
    );
    store.webhookEndpoints.set(record.endpoint.id, record);
    res.json(withSecret(record));
  });

  router.get('/v1/webhook_endpoints', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, { supported: ['limit', 'starting_after', 'ending_before', 'expand'] });
    res.json(listPage([...store.webhookEndpoints.values()].map((record) => record.endpoint), params, '/v1/webhook_endpoints'));
  });

  router.get('/v1/webhook_endpoints/:id', (req, res) => {
    res.json(store.webhookEndpoint(req.params.id).endpoint);
  });

  router.post('/v1/webhook_endpoints/:id', (req, res) => {
    const params = paramsOf(res);
    const { endpoint } = store.webhookEndpoint(req.params.id);
    checkKeys(params, { supported: ['url', 'enabled_events', 'disabled', 'description', 'metadata', 'expand'] });
    const url = optUrl(params, 'url');
    const events = enabledEvents(params, false);
    const disabled = optBool(params, 'disabled');
    const text = description(params);
    const metadata = optMetadata(params);
    const changes: Partial<Stripe.WebhookEndpoint> = {
      ...(url !== undefined && { url }),
      ...(events !== undefined && { enabled_events: events }),
      ...(disabled !== undefined && { status: disabled ? 'disabled' : 'enabled' }),
      ...(text !== undefined && { description: text }),
      metadata: applyMetadata(endpoint.metadata, metadata),
    };
    Object.assign(endpoint, changes);
    res.json(endpoint);
  });

  router.delete('/v1/webhook_endpoints/:id', (req, res) => {
    const { endpoint } = store.webhookEndpoint(req.params.id);
    store.webhookEndpoints.delete(endpoint.id);
    res.json({ id: endpoint.id, object: 'webhook_endpoint', deleted: true });
  });

  return router;
}
