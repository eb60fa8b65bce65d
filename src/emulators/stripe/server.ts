import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express, type ErrorRequestHandler } from 'express';
import type { EmulatorContext } from './context.js';
import { apiErrorHandler, invalidRequest } from './errors.js';
import { idempotency, parseParams, requestIds, requestScope, requireApiKey } from './http.js';
import { page } from './pages/html.js';
import { checkoutPageRoutes } from './pages/checkoutPage.js';
import { portalPageRoutes } from './pages/portalPage.js';
import { billingPortalRoutes } from './routes/billingPortal.js';
import { checkoutRoutes } from './routes/checkout.js';
import { controlRoutes } from './routes/controls.js';
import { customerRoutes } from './routes/customers.js';
import { eventRoutes } from './routes/events.js';
import { invoiceRoutes } from './routes/invoices.js';
import { priceRoutes } from './routes/prices.js';
import { refundRoutes } from './routes/refunds.js';
import { subscriptionRoutes } from './routes/subscriptions.js';
import type { StripeEmulator } from './types.js';

/** The emulator's Express app: the `/v1` API, the hosted pages and the `/_emulator` controls. */
export function createEmulatorApp(ctx: EmulatorContext, emulator: StripeEmulator, hooks: { afterChange?: () => void } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Any request but a read may have changed state (API, hosted pages, controls): tell the state file.
  const afterChange = hooks.afterChange;
  if (afterChange) {
    app.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') res.once('close', afterChange);
      next();
    });
  }

  // The API: routers declare full `/v1/...` paths; the shared middleware and error handling are mounted at `/v1`.
  const api = express.Router();
  api.use('/v1', requestIds, requireApiKey, parseParams, requestScope, idempotency(ctx.store.idempotencyKeys));
  for (const routes of [customerRoutes, priceRoutes, checkoutRoutes, billingPortalRoutes, subscriptionRoutes, invoiceRoutes, refundRoutes, eventRoutes]) {
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
  app.get('/', (_req, res) => {
    res.type('html').send(page('Stripe emulator', '<h1>Local Stripe emulator</h1><p>The API is under <code>/v1</code>.</p>'));
  });

  const pageErrors: ErrorRequestHandler = (err, _req, res, _next) => {
    console.error('[stripe-emulator] page error', err);
    res.status(500).type('html').send(page('Error', `<h1>The Stripe emulator failed</h1><p role="alert">${String(err instanceof Error ? err.message : err).replace(/[<>&]/g, '')}</p>`));
  };
  app.use(pageErrors);
  return app;
}

export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}
