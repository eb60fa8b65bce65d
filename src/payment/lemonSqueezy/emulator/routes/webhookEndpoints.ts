import { Router } from 'express';
import { z } from 'zod';
import type { EmulatorContext } from '../context.js';
import { parseDocument } from '../http.js';
import { notFound, sendResource, unprocessable } from '../jsonapi.js';
import { endpointView, WEBHOOK_EVENTS } from '../objects/webhookEndpoint.js';
import { byId, sameId } from './lookup.js';
import { sendList } from './listing.js';
import { idSchema } from './schemas.js';

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const events = z.array(z.enum(WEBHOOK_EVENTS, { error: `must each be one of ${WEBHOOK_EVENTS.join(', ')}` })).min(1, 'must name at least one event');
// Lemon Squeezy asks for a signing secret of at least 6 characters.
const secret = z.string().min(6, 'must be at least 6 characters');

/** `POST /v1/webhooks`, as `createWebhook` sends it. */
const newWebhookDocument = z.object({
  data: z.strictObject({
    type: z.literal('webhooks', { error: 'must be "webhooks"' }),
    attributes: z.strictObject({ url, events, secret, test_mode: z.boolean({ error: 'must be true or false' }).optional() }),
    relationships: z.strictObject({ store: z.strictObject({ data: z.strictObject({ type: z.literal('stores', { error: 'must be "stores"' }), id: idSchema }) }) }),
  }),
});

/** `PATCH /v1/webhooks/:id`, as `updateWebhook` sends it. */
const updateWebhookDocument = z.object({
  data: z.strictObject({
    type: z.literal('webhooks', { error: 'must be "webhooks"' }),
    id: idSchema,
    attributes: z.strictObject({ url: url.optional(), events: events.optional(), secret: secret.optional() }),
  }),
});

/**
 * Lemon Squeezy's webhooks API: create (store, url, events, secret), list (filter by store), get,
 * update, delete. The secret is taken from the caller and never shown again. Deliveries go to the
 * emulator's one webhook URL, signed with the secret of the webhook kept for that URL and only for its
 * events (index.ts); webhooks for other URLs are kept and listed, not delivered to.
 */
export function webhookEndpointRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  const { store } = ctx;

  router.post('/v1/webhooks', (req, res) => {
    const { data } = parseDocument(newWebhookDocument, req.body);
    if (data.relationships.store.data.id !== String(store.store.id)) {
      throw unprocessable([{ pointer: '/data/relationships/store/data/id', detail: `The store ${data.relationships.store.data.id} does not exist.` }]);
    }
    const { url: target, events: subscribed, secret: signing, test_mode: testMode } = data.attributes;
    const endpoint = store.addEndpoint({ url: target, events: [...new Set(subscribed)], secret: signing, testMode: testMode ?? true }, ctx.clock.nowSec());
    sendResource(res, endpointView(ctx, endpoint), 201);
  });

  router.get('/v1/webhooks', (req, res) => {
    sendList(ctx, req, res, '/v1/webhooks', [...store.endpoints.values()].map((endpoint) => endpointView(ctx, endpoint)), {
      store_id: (endpoint) => endpoint.attributes.store_id,
    });
  });

  router.get('/v1/webhooks/:id', (req, res) => {
    sendResource(res, endpointView(ctx, byId(store.endpoints, req.params.id)));
  });

  router.patch('/v1/webhooks/:id', (req, res) => {
    const endpoint = byId(store.endpoints, req.params.id);
    const { data } = parseDocument(updateWebhookDocument, req.body);
    if (!sameId(data.id, req.params.id)) {
      throw unprocessable([{ pointer: '/data/id', detail: `The id ${data.id} does not match the webhook ${req.params.id} in the URL.` }]);
    }
    const { url: target, events: subscribed, secret: signing } = data.attributes;
    if (target !== undefined) endpoint.url = target;
    if (subscribed !== undefined) endpoint.events = [...new Set(subscribed)];
    if (signing !== undefined) endpoint.secret = signing;
    endpoint.updatedAt = ctx.clock.nowSec();
    sendResource(res, endpointView(ctx, endpoint));
  });

  // 204 without a body, as Lemon Squeezy answers.
  router.delete('/v1/webhooks/:id', (req, res) => {
    const endpoint = byId(store.endpoints, req.params.id);
    if (!store.endpoints.delete(endpoint.id)) throw notFound();
    res.status(204).end();
  });

  return router;
}
