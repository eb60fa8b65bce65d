import express, { type Request, type Response } from 'express';
import { applyDelivery } from './engine/applyDelivery.js';
import type { MiddlewareConfigFn, PaymentProcessor, ProcessorDriver } from './paymentProcessor.js';
import { WebhookPayloadError, WebhookSignatureError } from './webhookErrors.js';

/** Signatures are computed over the exact bytes sent, so the webhook route must not parse JSON. */
export const rawBodyMiddlewareConfigFn: MiddlewareConfigFn = (config) => {
  config.delete('express.json');
  config.set('express.raw', express.raw({ type: () => true, limit: '1mb' }));
  return config;
};

/**
 * The HTTP side of every processor's webhook: verify and map (the processor), apply (the core).
 * 400: not from the processor, or a payload we cannot read; nothing written, and retrying won't help.
 * 500: applying failed and was rolled back; the processor retries. 200: applied, or a duplicate.
 * 503 (the app's error boundary): the database is unreachable, even to record the failure; retried too.
 */
export function createWebhookHandler(driver: ProcessorDriver) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!Buffer.isBuffer(req.body)) {
      res.status(500).json({ message: 'Webhook received a parsed body: mount it with webhookMiddlewareConfigFn (raw body)' });
      return;
    }
    let delivery;
    try {
      delivery = await driver.parseWebhook(req.body, req.headers);
    } catch (error) {
      if (error instanceof WebhookSignatureError || error instanceof WebhookPayloadError) {
        res.status(400).json({ message: error.message });
        return;
      }
      throw error;
    }
    const outcome = await applyDelivery(driver, delivery);
    if (outcome.status === 'failed') {
      console.error(`[webhook] ${driver.id} ${delivery.type} ${delivery.eventId} failed: ${outcome.error}`);
      res.status(500).json({ message: 'Delivery could not be applied; it was rolled back and can be retried', eventId: delivery.eventId });
      return;
    }
    res.status(200).json({ received: true, eventId: delivery.eventId, duplicate: outcome.status === 'duplicate', ignored: outcome.status === 'ignored' });
  };
}

/** Turns a processor's driver (a plain object) into the PaymentProcessor the app and a Wasp `api` mount. */
export function definePaymentProcessor(driver: ProcessorDriver): PaymentProcessor {
  return { ...driver, webhook: createWebhookHandler(driver), webhookMiddlewareConfigFn: rawBodyMiddlewareConfigFn };
}
