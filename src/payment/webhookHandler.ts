import express, { type Request, type Response } from 'express';
import { applyDelivery } from './engine/applyDelivery.js';
import { storableString } from './engine/storable.js';
import { ProcessorError, type MiddlewareConfigFn, type PaymentProcessor, type ProcessorDriver } from './paymentProcessor.js';
import { WebhookPayloadError, WebhookSignatureError } from './webhookErrors.js';

const PROCESSOR_RETRY_AFTER_SECONDS = 30;

/** Signatures are computed over the exact bytes sent, so the webhook route must not parse JSON. */
export const rawBodyMiddlewareConfigFn: MiddlewareConfigFn = (config) => {
  config.delete('express.json');
  config.set('express.raw', express.raw({ type: () => true, limit: '1mb' }));
  return config;
};

/**
 * The HTTP side of every processor's webhook: verify and map (the processor), apply (the core).
 * 400: not from the processor, or so broken it cannot be identified (no JSON, no event id); nothing
 * written, retrying won't help. 200: applied, a duplicate, ignored (not ours: `ignored` + `reason`) or
 * parked (ours, waiting for its customer or subscription to be linked: `parked` + `waitingFor`).
 * 422: stored as failed and logged, but retrying the same bytes cannot apply it (unreadable, a customer
 * of another workspace): the processor's dashboard shows the failure, and its retries are harmless (one
 * row per event id) and apply it by themselves once the cause is fixed; a replay does it later.
 * 500: applying failed and was rolled back (stored as failed); the processor retries.
 * 503: reading the delivery needed the processor's API, which failed (nothing recorded); or (the app's
 * error boundary) the database is unreachable, even to record the failure; retried too.
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
      // Reading the delivery needed the processor's API (a refund's invoice) and it failed: nothing is
      // recorded, and the processor's retry will find it reachable again.
      if (error instanceof ProcessorError) {
        res.set('Retry-After', String(PROCESSOR_RETRY_AFTER_SECONDS)).status(503).json({ message: `${driver.id} could not be asked about this delivery, nothing was recorded; retry it: ${error.message}` });
        return;
      }
      throw error;
    }
    const outcome = await applyDelivery(driver, delivery);
    const eventId = storableString(delivery.eventId);
    if (outcome.status === 'failed') {
      // One line of event id, type and our own error: never the payload or a header (a signature, a secret).
      console.error(`[webhook] ${driver.id} ${storableString(delivery.type)} ${eventId} failed: ${outcome.error.replace(/\s+/g, ' ')}`);
      res
        .status(outcome.final ? 422 : 500)
        .json({ message: outcome.final ? `Stored as failed: ${outcome.error}` : 'Delivery could not be applied; it was rolled back and can be retried', eventId });
      return;
    }
    res.status(200).json({
      received: true,
      eventId,
      duplicate: outcome.status === 'duplicate',
      ignored: outcome.status === 'ignored',
      ...(outcome.status === 'ignored' && { reason: outcome.reason }),
      ...(outcome.status === 'parked' && { parked: true, waitingFor: outcome.waitingFor, reason: outcome.reason }),
    });
  };
}

/** Turns a processor's driver (a plain object) into the PaymentProcessor the app and a Wasp `api` mount. */
export function definePaymentProcessor(driver: ProcessorDriver): PaymentProcessor {
  return { ...driver, webhook: createWebhookHandler(driver), webhookMiddlewareConfigFn: rawBodyMiddlewareConfigFn };
}
