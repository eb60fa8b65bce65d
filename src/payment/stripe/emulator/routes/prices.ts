import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { createdFilter, listPage } from '../list.js';
import { checkKeys, expandList, optBool, optEnum, optString } from '../params.js';

export function priceRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/prices', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['active', 'currency', 'product', 'type', 'created', 'limit', 'starting_after', 'ending_before', 'expand'],
      knownToStripe: ['lookup_keys', 'recurring'],
    });
    const active = optBool(params, 'active');
    const currency = optString(params, 'currency');
    const product = optString(params, 'product');
    const type = optEnum(params, 'type', ['one_time', 'recurring'] as const);
    const created = createdFilter(params);
    const prices = [...ctx.store.prices.values()].filter(
      (p) =>
        (active === undefined || p.active === active) &&
        (currency === undefined || p.currency === currency.toLowerCase()) &&
        (product === undefined || p.product === product) &&
        (type === undefined || p.type === type) &&
        created(p),
    );
    res.json(expandObject(ctx.store, listPage(prices, params, '/v1/prices'), expandList(params)));
  });

  router.get('/v1/prices/:id', (req, res) => {
    res.json(expandObject(ctx.store, ctx.store.price(req.params.id), expandList(paramsOf(res))));
  });

  return router;
}
