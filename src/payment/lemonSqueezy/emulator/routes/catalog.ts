import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { notFound, sendResource } from '../jsonapi.js';
import { storeView, variantView } from '../objects/catalog.js';
import { parseId } from '../store.js';
import { sendList } from './listing.js';
import { byId } from './lookup.js';

/** `GET /v1/variants` (filter[product_id], filter[status], page[number], page[size]), `/v1/variants/:id`, `/v1/stores/:id`. */
export function catalogRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/variants', (req, res) => {
    const variants = [...ctx.store.variants.values()].map((v) => variantView(ctx, v));
    sendList(ctx, req, res, '/v1/variants', variants, { product_id: (v) => v.attributes.product_id, status: (v) => v.attributes.status });
  });

  router.get('/v1/variants/:id', (req, res) => {
    sendResource(res, variantView(ctx, byId(ctx.store.variants, req.params.id)));
  });

  router.get('/v1/stores/:id', (req, res) => {
    if (parseId(req.params.id) !== ctx.store.store.id) throw notFound();
    sendResource(res, storeView(ctx));
  });

  return router;
}
