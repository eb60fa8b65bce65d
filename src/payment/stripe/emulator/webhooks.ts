import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';
import { idOf } from './refs.js';
import { WebhookDispatcher as SharedWebhookDispatcher, type RetryPolicy } from '../../../emulators/shared/webhookDispatcher.js';

export type { ResumeOrder, RetryPolicy } from '../../../emulators/shared/webhookDispatcher.js';

export interface DeliveryRecord {
  eventId: string;
  /** The receiver's HTTP status, or `'error'` when the connection failed or timed out. */
  status: number | 'error';
  /** 1 for the first attempt of this delivery, 2 for its first retry, ... */
  attempt: number;
}

/** `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(payload: string, secret: string, timestampSec: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSec}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSec},v1=${signature}`;
}

/**
 * Delivers events to the webhook URL (the shared queue, see ../shared/webhookDispatcher.ts), signed with
 * `Stripe-Signature` by the secret of the endpoint for that URL at sending time; retries double their delay, as with Stripe.
 */
export class WebhookDispatcher extends SharedWebhookDispatcher<Stripe.Event, DeliveryRecord> {
  constructor(secret: () => string, url: string | undefined, retry: RetryPolicy, changed?: () => void, timeoutMs = 10_000) {
    super({
      url,
      retry,
      changed,
      backoffFactor: 2,
      timeoutMs,
      idOf: (event) => event.id,
      customerOf: (event) => idOf((event.data.object as { customer?: string | { id: string } | null }).customer),
      record: (event, status, attempt) => ({ eventId: event.id, status, attempt }),
      request: (event) => {
        const body = JSON.stringify(event, null, 2);
        return {
          body,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            // The receiver checks the signature time against its own clock: always the wall clock.
            'stripe-signature': signatureHeader(body, secret(), Math.floor(Date.now() / 1000)),
          },
        };
      },
    });
  }
}
