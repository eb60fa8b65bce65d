import type { Request, Response } from 'express';
import type { MiddlewareConfigFn } from './paymentProcessor.js';
import { activeProcessor, paymentProcessor, processorForDelivery } from './processors.js';

// The `api`s of main.wasp and the standalone server's webhook routes: the processor verifies and
// maps, the core applies.

/** POST /payments-webhook: the processor whose signature header the delivery carries, else the default. */
export const paymentsWebhook = (req: Request, res: Response, context?: unknown): Promise<void> =>
  processorForDelivery(req.headers).webhook(req, res, context);

/** POST /payments-webhook/:processorId: one processor's own route (several run at once). */
export const processorPaymentsWebhook = async (req: Request, res: Response, context?: unknown): Promise<void> => {
  const id = String(req.params.processorId);
  const processor = activeProcessor(id);
  if (!processor) {
    res.status(404).json({ message: `This app runs no processor "${id}" (PAYMENTS_PROCESSORS)` });
    return;
  }
  await processor.webhook(req, res, context);
};

export const paymentsMiddlewareConfigFn: MiddlewareConfigFn = (config) => paymentProcessor().webhookMiddlewareConfigFn(config);
