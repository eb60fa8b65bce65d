import type { CustomData } from './store.js';
import type { EmittedWebhook, LsEventName, LsWebhookBody } from './types.js';

/** An emitted webhook with the exact bytes every delivery of it sends. */
export interface StoredWebhook extends EmittedWebhook {
  raw: string;
}

/**
 * The webhooks emitted, in order. Each is serialized once, when emitted (a snapshot of the object then),
 * and every delivery and redelivery sends those bytes.
 */
export class EventLog {
  private readonly list: StoredWebhook[] = [];
  private readonly byId = new Map<string, StoredWebhook>();
  private counter = 0;

  constructor(
    private readonly webhookId: string,
    private readonly onEmit: (webhook: StoredWebhook) => void,
  ) {}

  emit(eventName: LsEventName, data: LsWebhookBody['data'], customData: CustomData): StoredWebhook {
    const meta: LsWebhookBody['meta'] = {
      event_name: eventName,
      ...(customData === undefined ? {} : { custom_data: customData }),
      test_mode: true,
      webhook_id: this.webhookId,
    };
    const body: LsWebhookBody = { meta, data };
    const raw = JSON.stringify(body);
    this.counter += 1;
    const webhook: StoredWebhook = { id: `dlv_${this.counter}`, eventName, body: JSON.parse(raw) as LsWebhookBody, raw };
    this.list.push(webhook);
    this.byId.set(webhook.id, webhook);
    this.onEmit(webhook);
    return webhook;
  }

  get(id: string): StoredWebhook | undefined {
    return this.byId.get(id);
  }

  /** Copies, as a receiver would parse them. */
  all(): EmittedWebhook[] {
    return this.list.map((w) => ({ id: w.id, eventName: w.eventName, body: JSON.parse(w.raw) as LsWebhookBody }));
  }
}
