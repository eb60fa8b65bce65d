import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';

/**
 * The Express app frame both emulators share: the app with the state-file hook, the home page and the
 * page error handler around each emulator's API, hosted pages and controls; listening on a port.
 */

export interface EmulatorAppFrame {
  /** The product name, e.g. `Stripe` (the home page and the page error). */
  product: string;
  /** The tag of the page-error log line, e.g. `stripe-emulator`. */
  logTag: string;
  /** The emulator's page shell. */
  page: (title: string, body: string) => string;
  /**
   * Any request but a read may change state (API, hosted pages, controls): the state file hears of it
   * once the response is done.
   */
  afterChange?: () => void;
}

/** Builds the app: `mount` adds the API, the hosted pages and the controls; then the home page and page errors. */
export function createAppFrame(frame: EmulatorAppFrame, mount: (app: Express) => void): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const { afterChange, page, product } = frame;
  if (afterChange) {
    app.use((req, res, next) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') res.once('close', afterChange);
      next();
    });
  }

  mount(app);

  app.get('/', (_req, res) => {
    res.type('html').send(page(`${product} emulator`, `<h1>Local ${product} emulator</h1><p>The API is under <code>/v1</code>.</p>`));
  });
  const pageErrors: ErrorRequestHandler = (err, _req, res, _next) => {
    console.error(`[${frame.logTag}] page error`, err);
    const message = String(err instanceof Error ? err.message : err).replace(/[<>&]/g, '');
    res.status(500).type('html').send(page('Error', `<h1>The ${product} emulator failed</h1><p role="alert">${message}</p>`));
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
