import type { CustomData } from './store.js';
import type { EmittedWebhook, LsEventName, LsWebhookBody } from './types.js';

/** An emitted webhook with the exact bytes every delivery of it sends. */
export interface StoredWebhook extends EmittedWebhook {
  raw: string;
}

/** What the state file keeps of an emitted webhook (the body is in `raw`). */
export type SavedWebhook = Pick<StoredWebhook, 'id' | 'eventName' | 'raw'>;

/**
 * The webhooks emitted, in order. Each is serialized once, when emitted (a snapshot of the object then),
 * and every delivery and redelivery sends those bytes.
 */
export class EventLog {
  private readonly list: StoredWebhook[] = [];
  private readonly byId = new Map<string, StoredWebhook>();
  private counter = 0;

  /** `saved`: webhooks emitted by an earlier run (from the state file); ids go on after theirs. */
  constructor(
    readonly webhookId: string,
    private readonly onEmit: (webhook: StoredWebhook) => void,
    saved: readonly SavedWebhook[] = [],
  ) {
    for (const { id, eventName, raw } of saved) {
      const webhook: StoredWebhook = { id, eventName, body: JSON.parse(raw) as LsWebhookBody, raw };
      this.list.push(webhook);
      this.byId.set(id, webhook);
      this.counter = Math.max(this.counter, Number(id.slice('dlv_'.length)));
    }
  }

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

  saved(): SavedWebhook[] {
    return this.list.map(({ id, eventName, raw }) => ({ id, eventName, raw }));
  }

  /** Copies, as a receiver would parse them. */
  all(): EmittedWebhook[] {
    return this.list.map((w) => ({ id: w.id, eventName: w.eventName, body: JSON.parse(w.raw) as LsWebhookBody }));
  }
}
