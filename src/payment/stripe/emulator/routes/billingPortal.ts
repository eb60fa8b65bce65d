import { Router } from 'express';
import type { EmulatorContext } from '../context.js';
import { parameterMissing } from '../errors.js';
import { expandObject } from '../expand.js';
import { paramsOf } from '../http.js';
import { newId } from '../ids.js';
import { newPortalSession } from '../objects/sessions.js';
import { checkKeys, expandList, optNonEmptyString, optString, optUrl } from '../params.js';

export function billingPortalRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.post('/v1/billing_portal/sessions', (_req, res) => {
    const params = paramsOf(res);
    checkKeys(params, {
      supported: ['customer', 'return_url', 'locale', 'expand'],
      ignored: ['configuration'],
      knownToStripe: ['after_expiration', 'customer_account', 'flow_data', 'on_behalf_of'],
    });
    const customerId = optNonEmptyString(params, 'customer');
    if (!customerId) throw parameterMissing('customer');
    const customer = ctx.store.customer(customerId, 'customer');
    const id = newId('bps');
    const session = newPortalSession(
      {
        id,
        url: `${ctx.baseUrl()}/portal/${id}`,
        customer: customer.id,
        returnUrl: optUrl(params, 'return_url') ?? null,
        locale: optString(params, 'locale') ?? null,
      },
      ctx.clock.nowSec(),
    );
    ctx.store.portalSessions.set(id, session);
    res.json(expandObject(ctx.store, session, expandList(params)));
  });

  return router;
}
