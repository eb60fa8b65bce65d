import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import type { EmulatorContext } from './context.js';
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
import type { LemonSqueezyEmulator } from './types.js';

/** The emulator's Express app: the `/v1` JSON:API, the hosted pages and the `/_emulator` controls. */
export function createEmulatorApp(ctx: EmulatorContext, emulator: LemonSqueezyEmulator, hooks: { afterChange?: () => void } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  // Whatever is not a read may change state (API, hosted pages, controls): the state file hears of it once
  // the response is done. Reads that run renewals on the way emit webhooks, which tell it themselves.
  const { afterChange } = hooks;
  if (afterChange) {
    app.use((req, res, next) => {
      if (!['GET', 'HEAD'].includes(req.method)) res.once('close', afterChange);
      next();
    });
  }

  const api = express.Router();
  api.use('/v1', requireApiKey, ...jsonApiBody, catchUpClock(ctx));
  api.use('/v1', (req, _res, next) => {
    // The SDK's list calls always send `include=` (empty); only a real include is refused.
    if (req.query.include !== undefined && req.query.include !== '') {
      throw apiError(400, 'include is not supported by the local Lemon Squeezy emulator.');
    }
    next();
  });
  for (const routes of [checkoutRoutes, customerRoutes, subscriptionRoutes, paymentRoutes, catalogRoutes]) api.use(routes(ctx));
  api.use('/v1', () => {
    throw notFound();
  });
  api.use('/v1', apiErrorHandler);
  app.use(api);

  app.use(checkoutPageRoutes(ctx));
  app.use(portalPageRoutes(ctx));
  app.use(controlRoutes(emulator));
  app.get('/', (_req, res) => {
    res.type('html').send(page('Lemon Squeezy emulator', '<h1>Local Lemon Squeezy emulator</h1><p>The API is under <code>/v1</code>.</p>'));
  });

  const pageErrors: ErrorRequestHandler = (err, _req, res, _next) => {
    console.error('[lemonsqueezy-emulator] page error', err);
    const message = String(err instanceof Error ? err.message : err).replace(/[<>&]/g, '');
    res.status(500).type('html').send(page('Error', `<h1>The Lemon Squeezy emulator failed</h1><p role="alert">${message}</p>`));
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
