import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { createAuthRouter } from '../auth/authRouter.js';
import { requireJson } from '../auth/requireJson.js';
import { authenticate } from '../auth/sessions.js';
import { isProduction, type CoreEnv } from '../config/env.js';
import { db } from '../db/client.js';
import { capturedEmailsRoute } from '../email/capturedEmailsRoute.js';
import type { SmtpCapture } from '../email/smtpCapture.js';
import type { MiddlewareConfig, PaymentProcessor } from '../payment/paymentProcessor.js';
import { paymentsMiddlewareConfigFn, paymentsWebhook, processorPaymentsWebhook } from '../payment/webhook.js';
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './databaseUnavailable.js';
import { HttpError } from './HttpError.js';
import type { OperationContext } from './operationContext.js';
import { operations } from './operations.js';
import { noStore, securityHeaders } from './securityHeaders.js';

export interface AppOptions {
  env: CoreEnv;
  processor: PaymentProcessor;
  /** Present when no SMTP server is configured: its messages are served at GET /dev/emails. */
  smtpCapture?: SmtpCapture;
  /** What startup chose for each part (database, payments, email), reported by /healthz. */
  defaults: Record<string, string>;
  /** Called once a webhook has been answered: the outbox dispatcher sends its emails right away. */
  afterWebhook?: () => void;
  /** The web app's pages and assets (serveClient); before the session lookup, which they do not need. */
  client?: RequestHandler;
}

/** The standalone server: mounts exactly the functions a Wasp app would (operations, the webhook api). */
export function createApp({ env, processor, smtpCapture, defaults, afterWebhook, client }: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders(env));
  if (client) app.use(client);

  // Like Wasp: the api's middlewareConfigFn edits the default middleware (express.json -> express.raw).
  const webhookMiddleware = paymentsMiddlewareConfigFn(defaultMiddleware());
  const notifyAfterWebhook: RequestHandler = (_req, res, next) => {
    if (afterWebhook) res.once('finish', afterWebhook);
    next();
  };
  app.post('/payments-webhook', notifyAfterWebhook, ...webhookMiddleware.values(), paymentsWebhook);
  app.post('/payments-webhook/:processorId', notifyAfterWebhook, ...webhookMiddleware.values(), processorPaymentsWebhook);

  app.use(express.json({ limit: '100kb' }), authenticate, requireJson);
  app.use(['/auth', '/operations'], noStore);
  app.use('/auth', createAuthRouter(env));

  app.post('/operations/:name', async (req, res) => {
    const operation = Object.hasOwn(operations, req.params.name) ? operations[req.params.name] : undefined;
    if (!operation) throw new HttpError(404, `Unknown operation "${req.params.name}"`);
    const context: OperationContext = { user: res.locals.user, entities: db() };
    res.json((await operation(req.body as never, context)) ?? null);
  });

  app.get('/healthz', async (_req, res) => {
    await db().$queryRaw`SELECT 1`;
    // The details (data path, emulator URL, capture port) help an attacker: development or site admins only.
    const details = !isProduction(env) || res.locals.user?.isAdmin === true;
    res.json(details ? { ok: true, processor: processor.id, defaults } : { ok: true });
  });

  if (smtpCapture) app.get('/dev/emails', capturedEmailsRoute(smtpCapture));

  app.use(errorHandler);
  return app;
}

function defaultMiddleware(): MiddlewareConfig {
  return new Map<string, RequestHandler>([['express.json', express.json()]]);
}

/** HttpErrors answer with their status and message; a lost database 503; anything else is a 500 that reveals nothing. */
const errorHandler: ErrorRequestHandler = (error, _req, res, _next) => {
  if (error instanceof HttpError) {
    res.status(error.statusCode).json({ message: error.message, ...error.data });
    return;
  }
  if (isDatabaseUnavailable(error)) {
    res.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS)).status(503).json({ message: 'The database is unavailable; retry shortly' });
    return;
  }
  // express.json's own errors (malformed JSON, too large) carry a 4xx status.
  const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
  if (status === 500) console.error('[server] unexpected error:', error instanceof Error ? error.stack : error);
  res.status(status).json({ message: status === 500 ? 'Internal server error' : `Bad request: ${error.message}` });
};
