import { WebhookDispatcher } from '../../../emulators/shared/webhookDispatcher.js';
import { FAKE_SIGNATURE_HEADER, signFakePayload } from '../webhook/signature.js';
import { newId } from './store.js';

/** One webhook as the fake sends it (webhook/payloadSchemas.ts). */
export interface FakeEvent {
  id: string;
  type: string;
  created: number;
  data: { object: { customer: string } & Record<string, unknown> };
}

interface DeliveryRecord {
  eventId: string;
  type: string;
  status: number | 'error';
  attempt: number;
}

/** Signs and delivers the fake's webhooks through the shared queue (in order, retried with backoff). */
export class FakeWebhooks {
  readonly dispatcher: WebhookDispatcher<FakeEvent, DeliveryRecord>;
  private readonly sent: FakeEvent[] = [];

  constructor(secret: string, url: string | undefined) {
    this.dispatcher = new WebhookDispatcher<FakeEvent, DeliveryRecord>({
      url,
      retry: { attempts: 5, baseDelayMs: 500 },
      backoffFactor: 2,
      timeoutMs: 10_000,
      idOf: (event) => event.id,
      customerOf: (event) => event.data.object.customer,
      request: (event) => {
        const body = JSON.stringify(event);
        return { body, headers: { 'content-type': 'application/json', [FAKE_SIGNATURE_HEADER]: signFakePayload(body, secret) } };
      },
      record: (event, status, attempt) => ({ eventId: event.id, type: event.type, status, attempt }),
    });
  }

  /** Sends `type` about a copy of `object` as it is now. */
  emit(type: string, object: FakeEvent['data']['object'], created: number): FakeEvent {
    const event: FakeEvent = { id: newId('fevt'), type, created, data: { object: structuredClone(object) } };
    this.sent.push(event);
    this.dispatcher.enqueue(event);
    return event;
  }

  /** The same event again, byte for byte (a processor's redelivery). */
  redeliver(eventId: string): void {
    const event = this.sent.find((e) => e.id === eventId);
    if (!event) throw new Error(`no fake event ${eventId}`);
    this.dispatcher.enqueue(event);
  }

  /** The same object under a new event id, as a processor that sends one fact twice does. */
  twin(event: FakeEvent): void {
    this.sent.push({ ...event, id: newId('fevt') });
    this.dispatcher.enqueue(this.sent.at(-1)!);
  }

  emitted(): readonly FakeEvent[] {
    return this.sent;
  }
}
