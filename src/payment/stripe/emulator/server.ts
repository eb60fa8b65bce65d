import express, { type Express } from 'express';
import { faultInjection } from '../../../emulators/shared/faults.js';
import { createAppFrame } from '../../../emulators/shared/server.js';
import type { EmulatorContext } from './context.js';
import { stripeFaultStyle } from './faultStyle.js';
import { apiErrorHandler, invalidRequest } from './errors.js';
import { idempotency, parseParams, processorDate, requestIds, requestScope, requireApiKey } from './http.js';
import { page } from './pages/html.js';
import { checkoutPageRoutes } from './pages/checkoutPage.js';
import { portalPageRoutes } from './pages/portalPage.js';
import { billingPortalRoutes } from './routes/billingPortal.js';
import { chargeRoutes } from './routes/charges.js';
import { checkoutRoutes } from './routes/checkout.js';
import { controlRoutes } from './routes/controls.js';
import { customerRoutes } from './routes/customers.js';
import { eventRoutes } from './routes/events.js';
import { invoiceRoutes } from './routes/invoices.js';
import { priceRoutes } from './routes/prices.js';
import { refundRoutes } from './routes/refunds.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import { webhookEndpointRoutes } from './routes/webhookEndpoints.js';
import type { StripeEmulator } from './types.js';

/** The emulator's Express app: the `/v1` API, the hosted pages and the `/_emulator` controls. */
export function createEmulatorApp(ctx: EmulatorContext, emulator: StripeEmulator, hooks: { afterChange?: () => void } = {}): Express {
  const frame = { product: 'Stripe', logTag: 'stripe-emulator', page, afterChange: hooks.afterChange };
  return createAppFrame(frame, (app) => {
    app.use(faultInjection(stripeFaultStyle)); // reliability tests' processor faults (shared/faults.ts)
    // The API: routers declare full `/v1/...` paths; the shared middleware and error handling are mounted at `/v1`.
    const api = express.Router();
    api.use('/v1', requestIds, processorDate(ctx.clock), requireApiKey, parseParams, requestScope, idempotency(ctx.store.idempotencyKeys));
    for (const routes of [customerRoutes, priceRoutes, checkoutRoutes, billingPortalRoutes, subscriptionRoutes, invoiceRoutes, chargeRoutes, refundRoutes, eventRoutes, webhookEndpointRoutes]) {
      api.use(routes(ctx));
    }
    api.use('/v1', (req, _res, next) => {
      next(
        invalidRequest(
          `Unrecognized request URL (${req.method}: ${req.originalUrl.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
          { status: 404 },
        ),
      );
    });
    api.use('/v1', apiErrorHandler);
    app.use(api);

    app.use(checkoutPageRoutes(ctx));
    app.use(portalPageRoutes(ctx));
    app.use(controlRoutes(emulator));
  });
}
