import { createHmac } from 'node:crypto';
import { WebhookDispatcher as SharedWebhookDispatcher, type RetryPolicy } from '../../../emulators/shared/webhookDispatcher.js';
import type { StoredWebhook } from './events.js';

/** `RetryPolicy.baseDelayMs` is the delay before the first retry; each later retry waits 5 times longer (LS: 5 s, 25 s, 125 s). */
export type { ResumeOrder, RetryPolicy } from '../../../emulators/shared/webhookDispatcher.js';

export interface DeliveryRecord {
  /** The emitted webhook's id (`emitted()[i].id`). */
  deliveryId: string;
  eventName: string;
  /** The receiver's HTTP status, or `'error'` when the connection failed or timed out. */
  status: number | 'error';
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

/** `X-Signature`: the hex HMAC-SHA256 of the raw body with the signing secret. */
export function webhookSignature(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

/**
 * Delivers webhooks to the URL (the shared queue, see ../shared/webhookDispatcher.ts), signed with
 * `X-Signature`; each retry waits 5 times longer than the one before. A delivery given up stays in
 * `deliveries()` with its failed attempts.
 */
export class WebhookDispatcher extends SharedWebhookDispatcher<StoredWebhook, DeliveryRecord> {
  /**
   * `secret`: the signing secret at the time of each attempt (the webhook's, which the API may change);
   * `changed`: what is pending changed (the state file saves it).
   */
  constructor(secret: () => string, url: string | undefined, retry: RetryPolicy, changed?: () => void, timeoutMs = 10_000) {
    super({
      url,
      retry,
      changed,
      backoffFactor: 5,
      timeoutMs,
      idOf: (webhook) => webhook.id,
      customerOf: (webhook) => {
        const customer = (webhook.body.data.attributes as { customer_id?: number }).customer_id;
        return customer === undefined ? null : String(customer);
      },
      record: (webhook, status, attempt) => ({ deliveryId: webhook.id, eventName: webhook.eventName, status, attempt }),
      request: (webhook) => ({
        body: webhook.raw,
        headers: {
          'content-type': 'application/json',
          'x-event-name': webhook.eventName,
          'x-signature': webhookSignature(webhook.raw, secret()),
        },
      }),
    });
  }
}
