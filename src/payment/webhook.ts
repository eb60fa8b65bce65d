import type { Request, Response } from 'express';
import type { MiddlewareConfigFn } from './paymentProcessor.js';
import { paymentProcessor } from './processors.js';

// The `api paymentsWebhook` of main.wasp and the standalone server's POST /payments-webhook: the
// active processor verifies and maps, the core applies.
export const paymentsWebhook = (req: Request, res: Response, context?: unknown): Promise<void> =>
  paymentProcessor().webhook(req, res, context);

export const paymentsMiddlewareConfigFn: MiddlewareConfigFn = (config) => paymentProcessor().webhookMiddlewareConfigFn(config);
