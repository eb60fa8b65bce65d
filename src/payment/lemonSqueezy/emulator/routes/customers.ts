import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { sendResource } from '../jsonapi.js';
import { customerView } from '../objects/customer.js';
import { byId } from './lookup.js';

/** `GET /v1/customers/:id`: `urls.customer_portal` is signed afresh on every read (valid 24 h). */
export function customerRoutes(ctx: EmulatorContext): Router {
  const router = Router();
  router.get('/v1/customers/:id', (req, res) => {
    sendResource(res, customerView(ctx, byId(ctx.store.customers, req.params.id)));
  });
  return router;
}
