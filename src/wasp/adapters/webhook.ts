import type { MiddlewareConfigFn } from 'wasp/server';
import type { PaymentsWebhook } from 'wasp/server/api';
import { paymentsWebhook as handleWebhook } from '../../payment/webhook.js';
import { rawBodyMiddlewareConfigFn } from '../../payment/webhookHandler.js';
import { kickOutbox } from './server.js';

/** The standalone server's POST /payments-webhook as Wasp's `api`: the active processor verifies, the core applies. */
export const paymentsWebhook: PaymentsWebhook = (req, res) => {
  // As on the standalone server: the emails the delivery queued leave once it is answered.
  res.once('finish', kickOutbox);
  return handleWebhook(req, res);
};

// Every processor verifies the raw bytes. Wasp builds its routes before setupBilling has picked the
// processor, so this is the core's raw-body config itself, not a question to the processor.
export const paymentsMiddlewareConfigFn: MiddlewareConfigFn = rawBodyMiddlewareConfigFn;
