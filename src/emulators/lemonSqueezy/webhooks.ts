import { createHmac } from 'node:crypto';
import type { StoredWebhook } from './events.js';

export interface DeliveryRecord {
  /** The emitted webhook's id (`emitted()[i].id`). */
  deliveryId: string;
  eventName: string;
  /** The receiver's HTTP status, or `'error'` when the connection failed or timed out. */
  status: number | 'error';
  /** 1 for the first attempt, 2 for the first retry, ... */
  attempt: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the first retry; each later retry waits 5 times longer (LS: 5 s, 25 s, 125 s). */
  baseDelayMs: number;
}

export type ResumeOrder = 'sent' | 'reverse' | 'shuffle';

/** `X-Signature`: the hex HMAC-SHA256 of the raw body with the signing secret. */
export function webhookSignature(rawBody: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('hex');
}

interface QueueItem {
  webhook: StoredWebhook;
  attempt: number;
  settle?: () => void;
}

/**
 * Delivers webhooks to the URL one at a time, in order, off the request path. A failed delivery (non-2xx,
 * connection error) is retried with backoff; later webhooks do not wait for it. After the last attempt the
 * delivery is given up (it stays in `deliveries()` with its failed attempts).
 */
export class WebhookDispatcher {
  private url: string | undefined;
  private readonly queue: QueueItem[] = [];
  private readonly records: DeliveryRecord[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private paused = false;
  /** A wait before each delivery attempt (a slow network, or a processor that delivers late). */
  deliveryDelayMs = 0;
  private running = false;
  private stopped = false;
  private inFlight: AbortController | null = null;

  constructor(
    private readonly secret: string,
    url: string | undefined,
    private readonly retry: RetryPolicy,
    private readonly timeoutMs = 10_000,
  ) {
    this.url = url;
  }

  setUrl(url: string): void {
    this.url = url;
  }

  /** Queues a delivery. `settle` is called once it succeeded or was given up. No URL: nothing to deliver. */
  enqueue(webhook: StoredWebhook, settle?: () => void): void {
    if (!this.url || this.stopped) {
      settle?.();
      return;
    }
    this.queue.push({ webhook, attempt: 1, settle });
    this.kick();
  }

  pause(): void {
    this.paused = true;
  }

  isPaused(): boolean {
    return this.paused;
  }

  async resume(order: ResumeOrder = 'sent'): Promise<void> {
    if (order === 'reverse') this.queue.reverse();
    if (order === 'shuffle') {
      for (let i = this.queue.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [this.queue[i], this.queue[j]] = [this.queue[j]!, this.queue[i]!];
      }
    }
    this.paused = false;
    this.kick();
    await this.idle();
  }

  deliveries(): DeliveryRecord[] {
    return this.records.map((r) => ({ ...r }));
  }

  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.inFlight?.abort();
    for (const item of this.queue.splice(0)) item.settle?.();
    this.notifyIdle();
  }

  private isIdle(): boolean {
    return !this.running && this.retryTimers.size === 0 && (this.queue.length === 0 || this.paused || this.stopped);
  }

  private notifyIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private kick(): void {
    if (this.running || this.paused || this.stopped) return;
    this.running = true;
    setImmediate(() => {
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    try {
      while (!this.paused && !this.stopped && this.queue.length > 0) {
        await this.deliver(this.queue.shift()!);
      }
    } finally {
      this.running = false;
      this.notifyIdle();
    }
  }

  private async deliver(item: QueueItem): Promise<void> {
    if (this.deliveryDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.deliveryDelayMs));
    const status = await this.post(item.webhook);
    this.records.push({ deliveryId: item.webhook.id, eventName: item.webhook.eventName, status, attempt: item.attempt });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      item.settle?.();
      return;
    }
    if (item.attempt >= this.retry.attempts || this.stopped) {
      item.settle?.();
      return;
    }
    const delay = this.retry.baseDelayMs * 5 ** (item.attempt - 1);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (this.stopped) {
        item.settle?.();
        this.notifyIdle();
        return;
      }
      this.queue.push({ ...item, attempt: item.attempt + 1 });
      this.kick();
      this.notifyIdle();
    }, delay);
    this.retryTimers.add(timer);
  }

  private async post(webhook: StoredWebhook): Promise<number | 'error'> {
    const url = this.url;
    if (!url) return 'error';
    const controller = new AbortController();
    this.inFlight = controller;
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-event-name': webhook.eventName,
          'x-signature': webhookSignature(webhook.raw, this.secret),
        },
        body: webhook.raw,
        signal: controller.signal,
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.status;
    } catch {
      return 'error';
    } finally {
      clearTimeout(timer);
      this.inFlight = null;
    }
  }
}
