import type { MiddlewareConfigFn } from 'wasp/server';
import type { PaymentsWebhook, ProcessorPaymentsWebhook } from 'wasp/server/api';
import { paymentsWebhook as handleWebhook, processorPaymentsWebhook as handleProcessorWebhook } from '../../payment/webhook.js';
import { rawBodyMiddlewareConfigFn } from '../../payment/webhookHandler.js';
import { kickOutbox } from './server.js';

// The standalone server's webhook routes as Wasp `api`s: the processor verifies, the core applies. As
// on the standalone server, the emails a delivery queued leave once it is answered.

/** POST /payments-webhook: the processor whose signature the delivery carries, else the default. */
export const paymentsWebhook: PaymentsWebhook = (req, res) => {
  res.once('finish', kickOutbox);
  return handleWebhook(req, res);
};

/** POST /payments-webhook/:processorId: one processor's own route. */
export const processorPaymentsWebhook: ProcessorPaymentsWebhook = (req, res) => {
  res.once('finish', kickOutbox);
  return handleProcessorWebhook(req, res);
};

// Every processor verifies the raw bytes. Wasp builds its routes before setupBilling has picked the
// processors, so this is the core's raw-body config itself, not a question to a processor.
export const paymentsMiddlewareConfigFn: MiddlewareConfigFn = rawBodyMiddlewareConfigFn;
