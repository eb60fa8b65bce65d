import { Router } from 'express';
import { catchUp } from '../billing.js';
import type { EmulatorContext } from '../context.js';
import { parseDocument } from '../http.js';
import { sendResource, unprocessable } from '../jsonapi.js';
import { changeSubscription, SubscriptionChangeError, type SubscriptionChange } from '../lifecycle.js';
import { subscriptionView } from '../objects/subscription.js';
import { parseIsoTime } from '../clock.js';
import type { SubscriptionRecord } from '../store.js';
import { byId, sameId } from './lookup.js';
import { updateSubscriptionDocument } from './schemas.js';

function apply(ctx: EmulatorContext, sub: SubscriptionRecord, change: SubscriptionChange): void {
  try {
    changeSubscription(ctx, sub, change);
  } catch (error) {
    if (error instanceof SubscriptionChangeError) throw unprocessable([{ pointer: error.pointer, detail: error.message }]);
    throw error;
  }
  // A change may make something due now (a past_due subscription cancelled ends at once).
  catchUp(ctx);
}

/** `GET`, `PATCH` (cancelled, variant_id, pause) and `DELETE` (cancel) `/v1/subscriptions/:id`. */
export function subscriptionRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/subscriptions/:id', (req, res) => {
    sendResource(res, subscriptionView(ctx, byId(ctx.store.subscriptions, req.params.id)));
  });

  router.patch('/v1/subscriptions/:id', (req, res) => {
    const sub = byId(ctx.store.subscriptions, req.params.id);
    const { data } = parseDocument(updateSubscriptionDocument, req.body);
    if (!sameId(data.id, req.params.id)) {
      throw unprocessable([{ pointer: '/data/id', detail: `The id ${data.id} does not match the subscription ${req.params.id} in the URL.` }]);
    }
    const attrs = data.attributes;
    const change: SubscriptionChange = {};
    if (attrs.variant_id !== undefined) {
      const variant = ctx.store.variants.get(attrs.variant_id);
      if (!variant) throw unprocessable([{ pointer: '/data/attributes/variant_id', detail: `The variant ${attrs.variant_id} does not exist.` }]);
      change.variant = variant;
    }
    if (attrs.cancelled !== undefined) change.cancelled = attrs.cancelled;
    if (attrs.pause !== undefined) {
      change.pause = attrs.pause === null
        ? null
        : { mode: attrs.pause.mode, resumesAt: attrs.pause.resumes_at ? parseIsoTime(attrs.pause.resumes_at) : null };
    }
    apply(ctx, sub, change);
    sendResource(res, subscriptionView(ctx, sub));
  });

  // `cancelSubscription`: cancelled with a grace period until the end of the paid period (`ends_at`).
  router.delete('/v1/subscriptions/:id', (req, res) => {
    const sub = byId(ctx.store.subscriptions, req.params.id);
    apply(ctx, sub, { cancelled: true });
    sendResource(res, subscriptionView(ctx, sub));
  });

  return router;
}
