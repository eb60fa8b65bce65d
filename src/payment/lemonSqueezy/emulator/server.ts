import express, { type Express } from 'express';
import { faultInjection } from '../../../emulators/shared/faults.js';
import { createAppFrame } from '../../../emulators/shared/server.js';
import type { EmulatorContext } from './context.js';
import { lemonSqueezyFaultStyle } from './faultStyle.js';
import { catchUpClock, jsonApiBody, requireApiKey } from './http.js';
import { apiError, apiErrorHandler, notFound } from './jsonapi.js';
import { checkoutPageRoutes } from './pages/checkoutPage.js';
import { page } from './pages/html.js';
import { portalPageRoutes } from './pages/portalPage.js';
import { catalogRoutes } from './routes/catalog.js';
import { checkoutRoutes } from './routes/checkouts.js';
import { controlRoutes } from './routes/controls.js';
import { customerRoutes } from './routes/customers.js';
import { paymentRoutes } from './routes/payments.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { webhookEndpointRoutes } from './routes/webhookEndpoints.js';
import type { LemonSqueezyEmulator } from './types.js';

/** The emulator's Express app: the `/v1` JSON:API, the hosted pages and the `/_emulator` controls. */
export function createEmulatorApp(ctx: EmulatorContext, emulator: LemonSqueezyEmulator, hooks: { afterChange?: () => void } = {}): Express {
  // The state file hears of every non-read (shared/server.ts); reads that run renewals on the way emit
  // webhooks, which tell it themselves.
  const frame = { product: 'Lemon Squeezy', logTag: 'lemonsqueezy-emulator', page, afterChange: hooks.afterChange };
  return createAppFrame(frame, (app) => {
    app.use(faultInjection(lemonSqueezyFaultStyle)); // reliability tests' processor faults (shared/faults.ts)
    const api = express.Router();
    api.use('/v1', requireApiKey, ...jsonApiBody, catchUpClock(ctx));
    api.use('/v1', (req, _res, next) => {
      // The SDK's list calls always send `include=` (empty); only a real include is refused.
      if (req.query.include !== undefined && req.query.include !== '') {
        throw apiError(400, 'include is not supported by the local Lemon Squeezy emulator.');
      }
      next();
    });
    for (const routes of [checkoutRoutes, customerRoutes, subscriptionRoutes, paymentRoutes, catalogRoutes, webhookEndpointRoutes]) api.use(routes(ctx));
    api.use('/v1', () => {
      throw notFound();
    });
    api.use('/v1', apiErrorHandler);
    app.use(api);

    app.use(checkoutPageRoutes(ctx));
    app.use(portalPageRoutes(ctx));
    app.use(controlRoutes(emulator));
  });
}
