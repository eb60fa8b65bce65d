import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { invalidRequest, noSuch } from '../errors.js';
import { paramsOf } from '../http.js';
import { createdFilter, listPage } from '../list.js';
import { checkKeys, optArray, optBool, optString } from '../params.js';
import { snapshot } from '../snapshot.js';

/** Stripe's event type filter: exact, or with `*` wildcards (`customer.subscription.*`). */
function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes('*')) return (type) => type === pattern;
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (type) => re.test(type);
}

export function eventRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/events', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, { supported: ['type', 'types', 'created', 'delivery_success', 'limit', 'starting_after', 'ending_before', 'expand'] });
    const type = optString(params, 'type');
    const types = optArray(params, 'types');
    if (type && types) throw invalidRequest('You may only specify one of these parameters: type, types.', { code: 'parameters_exclusive', param: 'types' });
    const matchers = (types ?? (type ? [type] : [])).map((t, i) => {
      if (typeof t !== 'string') throw invalidRequest(`Invalid types[${i}]: must be a string`, { param: `types[${i}]` });
      return typeMatcher(t);
    });
    optBool(params, 'delivery_success');
    const created = createdFilter(params);
    const events = ctx.events.all().filter((e) => (matchers.length === 0 || matchers.some((m) => m(e.type))) && created(e));
    res.json(listPage(events, params, '/v1/events'));
  });

  router.get('/v1/events/:id', (req, res) => {
    const event = ctx.events.get(req.params.id);
    if (!event) throw noSuch('event', req.params.id);
    res.json(snapshot(event));
  });

  return router;
}
