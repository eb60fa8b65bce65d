import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { createdFilter, listPage } from '../list.js';
import { checkKeys, expandList, optString } from '../params.js';
import { idOf } from '../refs.js';

/** `GET /v1/charges` (by customer or payment intent) and `/v1/charges/:id`: what a reconciliation reads for refunds. */
export function chargeRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/charges', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['customer', 'payment_intent', 'created', 'limit', 'starting_after', 'ending_before', 'expand'],
      knownToStripe: ['transfer_group'],
    });
    const customer = optString(params, 'customer');
    const paymentIntent = optString(params, 'payment_intent');
    const created = createdFilter(params);
    const charges = [...ctx.store.charges.values()].filter(
      (c) => (customer === undefined || idOf(c.customer) === customer) && (paymentIntent === undefined || idOf(c.payment_intent) === paymentIntent) && created(c),
    );
    res.json(expandObject(ctx.store, listPage(charges, params, '/v1/charges'), expandList(params)));
  });

  router.get('/v1/charges/:id', (req, res) => {
    res.json(expandObject(ctx.store, ctx.store.charge(req.params.id), expandList(paramsOf(res))));
  });

  return router;
}
