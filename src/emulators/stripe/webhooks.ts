import { createHmac } from 'node:crypto';
import type Stripe from 'stripe';

export interface DeliveryRecord {
  eventId: string;
  /** The receiver's HTTP status, or `'error'` when the connection failed or timed out. */
  status: number | 'error';
  /** 1 for the first attempt of this delivery, 2 for its first retry, ... */
  attempt: number;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the first retry; it doubles for each later retry. */
  baseDelayMs: number;
}

/** `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. */
export function signatureHeader(payload: string, secret: string, timestampSec: number): string {
  const signature = createHmac('sha256', secret).update(`${timestampSec}.${payload}`, 'utf8').digest('hex');
  return `t=${timestampSec},v1=${signature}`;
}

interface QueueItem {
  event: Stripe.Event;
  attempt: number;
  settle?: () => void;
}

export type ResumeOrder = 'sent' | 'reverse' | 'shuffle';

/**
 * Delivers events to the webhook URL one at a time, in order, off the request path. A failed delivery
 * (non-2xx, connection error) is retried with exponential backoff; later events do not wait for it, as
 * with Stripe. After the last attempt the event is recorded as undelivered.
 */
export class WebhookDispatcher {
  deliveryDelayMs = 0;
  private url: string | undefined;
  private readonly queue: QueueItem[] = [];
  private readonly records: DeliveryRecord[] = [];
  private readonly gaveUp: string[] = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private paused = false;
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

  hasUrl(): boolean {
    return Boolean(this.url);
  }

  /** Queues a delivery. `settle` is called once it succeeded or was given up on. No URL: nothing to deliver. */
  enqueue(event: Stripe.Event, settle?: () => void): boolean {
    if (!this.url || this.stopped) {
      settle?.();
      return false;
    }
    this.queue.push({ event, attempt: 1, settle });
    this.kick();
    return true;
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

  undelivered(): string[] {
    return [...this.gaveUp];
  }

  /** Resolves once nothing is in flight or waiting for a retry, and the queue is empty or paused. */
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
        const item = this.queue.shift()!;
        if (this.deliveryDelayMs > 0) await sleep(this.deliveryDelayMs);
        if (this.stopped) {
          item.settle?.();
          break;
        }
        await this.deliver(item);
      }
    } finally {
      this.running = false;
      this.notifyIdle();
    }
  }

  private async deliver(item: QueueItem): Promise<void> {
    const status = await this.post(item.event);
    this.records.push({ eventId: item.event.id, status, attempt: item.attempt });
    if (typeof status === 'number' && status >= 200 && status < 300) {
      item.settle?.();
      return;
    }
    if (item.attempt >= this.retry.attempts || this.stopped) {
      this.gaveUp.push(item.event.id);
      item.settle?.();
      return;
    }
    const delay = this.retry.baseDelayMs * 2 ** (item.attempt - 1);
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

  private async post(event: Stripe.Event): Promise<number | 'error'> {
    const url = this.url;
    if (!url) return 'error';
    const payload = JSON.stringify(event, null, 2);
    const controller = new AbortController();
    this.inFlight = controller;
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          // The receiver checks the signature time against its own clock: always the wall clock.
          'stripe-signature': signatureHeader(payload, this.secret, Math.floor(Date.now() / 1000)),
        },
        body: payload,
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
