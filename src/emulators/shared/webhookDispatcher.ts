/**
 * The webhook delivery queue shared by the Stripe and the Lemon Squeezy emulator: in-order delivery off
 * the request path, pause/resume (with a resume order), retries with exponential backoff, idle waiters
 * and delivery records. What is delivered (body, headers, signature) and what a record holds is each
 * emulator's own (its webhooks.ts).
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Delay before the first retry; each later retry waits `backoffFactor` times longer. */
  baseDelayMs: number;
}

export type ResumeOrder = 'sent' | 'reverse' | 'shuffle';

/** One HTTP request to the webhook URL. */
export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

export interface WebhookDispatcherOptions<T, R> {
  url: string | undefined;
  retry: RetryPolicy;
  /** Each retry waits this many times longer than the one before (Stripe 2, Lemon Squeezy 5). */
  backoffFactor: number;
  timeoutMs: number;
  /** The id recorded in `undelivered()` once an item is given up (and in `dropped()`, `pending()`). */
  idOf(item: T): string;
  /** The processor customer an item is about (for dropping one customer's webhooks), or null. */
  customerOf(item: T): string | null;
  /** The body and the (signed) headers of one delivery attempt. */
  request(item: T): WebhookRequest;
  /** The delivery record of one attempt. */
  record(item: T, status: number | 'error', attempt: number): R;
  /** What `pending()` returns changed (one enqueued, delivered or given up): the state file saves it. */
  changed?(): void;
}

interface QueueItem<T> {
  item: T;
  attempt: number;
  settle?: () => void;
}

/**
 * Delivers items to the webhook URL one at a time, in order, off the request path. A failed delivery
 * (non-2xx, connection error) is retried with exponential backoff; later items do not wait for it. After
 * the last attempt the item is recorded as undelivered. Stopping gives up nothing: what was not delivered
 * yet stays in `pending()`, for the next run to deliver (as a processor retries while the app is down).
 */
export class WebhookDispatcher<T, R> {
  /** A wait before each delivery attempt (a slow network, or a processor that delivers late). */
  deliveryDelayMs = 0;
  private url: string | undefined;
  private readonly queue: QueueItem<T>[] = [];
  /** Queued, in flight, waiting for a retry or paused: every delivery not done yet, in the order enqueued. */
  private readonly open = new Set<QueueItem<T>>();
  private readonly records: R[] = [];
  private readonly gaveUp: string[] = [];
  private readonly lost: string[] = [];
  private dropping: { customer?: string } | null = null;
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly idleWaiters: (() => void)[] = [];
  private paused = false;
  private running = false;
  private stopped = false;
  private inFlight: AbortController | null = null;

  constructor(private readonly options: WebhookDispatcherOptions<T, R>) {
    this.url = options.url;
  }

  setUrl(url: string): void {
    this.url = url;
  }

  hasUrl(): boolean {
    return Boolean(this.url);
  }

  /** Queues a delivery. `settle` is called once it succeeded or was given up on. No URL: nothing to deliver. */
  enqueue(item: T, settle?: () => void): boolean {
    if (!this.url || this.stopped) {
      settle?.();
      return false;
    }
    if (this.isDropped(item)) {
      this.lost.push(this.options.idOf(item));
      settle?.();
      return false;
    }
    const entry = { item, attempt: 1, settle };
    this.open.add(entry);
    this.queue.push(entry);
    this.options.changed?.();
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

  /**
   * Loses later deliveries, as a processor sometimes does: every one, or only those about `customer`
   * (null: deliver again). A lost delivery is never sent; `dropped()` lists it for a redelivery.
   */
  drop(about: { customer?: string } | null): void {
    this.dropping = about;
  }

  dropped(): string[] {
    return [...this.lost];
  }

  private isDropped(item: T): boolean {
    if (!this.dropping) return false;
    return this.dropping.customer === undefined || this.options.customerOf(item) === this.dropping.customer;
  }

  deliveries(): R[] {
    return this.records.map((r) => ({ ...r }));
  }

  undelivered(): string[] {
    return [...this.gaveUp];
  }

  /** The ids of what is not delivered yet (nor given up), in the order enqueued; after `stop()` too. */
  pending(): string[] {
    return [...this.open].map((entry) => this.options.idOf(entry.item));
  }

  /** Resolves once nothing is in flight or waiting for a retry, and the queue is empty or paused. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops delivering; what was not delivered stays in `pending()`, and nobody waits for it any more. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.inFlight?.abort();
    this.queue.length = 0;
    for (const entry of this.open) entry.settle?.();
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
        const entry = this.queue.shift()!;
        if (this.deliveryDelayMs > 0) await sleep(this.deliveryDelayMs);
        if (this.stopped) break;
        await this.deliver(entry);
      }
    } finally {
      this.running = false;
      this.notifyIdle();
    }
  }

  private async deliver(entry: QueueItem<T>): Promise<void> {
    const status = await this.post(entry.item);
    this.records.push(this.options.record(entry.item, status, entry.attempt));
    // Cut off by stop(): not delivered, so it stays pending (stop() has settled it).
    if (this.stopped) return;
    if (typeof status === 'number' && status >= 200 && status < 300) {
      this.finish(entry);
      return;
    }
    if (entry.attempt >= this.options.retry.attempts) {
      this.gaveUp.push(this.options.idOf(entry.item));
      this.finish(entry);
      return;
    }
    const delay = this.options.retry.baseDelayMs * this.options.backoffFactor ** (entry.attempt - 1);
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      entry.attempt += 1;
      this.queue.push(entry);
      this.kick();
      this.notifyIdle();
    }, delay);
    this.retryTimers.add(timer);
  }

  private finish(entry: QueueItem<T>): void {
    this.open.delete(entry);
    entry.settle?.();
    this.options.changed?.();
  }

  private async post(item: T): Promise<number | 'error'> {
    const url = this.url;
    if (!url) return 'error';
    const { body, headers } = this.options.request(item);
    const controller = new AbortController();
    this.inFlight = controller;
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    try {
      const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
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
