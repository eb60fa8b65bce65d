import type { Server } from 'node:http';
import type { EmulatorClock } from './clock.js';
import { portOf } from './server.js';
import type { ResumeOrder, WebhookDispatcher } from './webhookDispatcher.js';

/**
 * The part of the emulator object (what `startStripeEmulator` / `startLemonSqueezyEmulator` return) that both
 * emulators share: address, clock, the delivery queue's controls and stopping.
 */
export interface BaseEmulator<R> {
  readonly url: string;
  readonly port: number;
  deliveryDelayMs: number;
  setWebhookUrl(url: string): void;
  pauseDeliveries(): void;
  resumeDeliveries(options?: { order?: ResumeOrder }): Promise<void>;
  /** Loses later webhooks (all, or those about one customer; null: deliver again); `redeliver` sends one later. */
  dropDeliveries(about: { customer?: string } | null): void;
  /** The ids of the webhooks lost so far, oldest first. */
  dropped(): string[];
  deliveries(): R[];
  idle(): Promise<void>;
  now(): Date;
  stop(): Promise<void>;
}

export interface BaseEmulatorParts<T, R> {
  dispatcher: WebhookDispatcher<T, R>;
  clock: EmulatorClock;
  /** The listening server (called once it listens). */
  server: () => Server;
  baseUrl: () => string;
  /** The state file writer, closed (flushed) on stop; what it saves includes `dispatcher.pending()`. */
  writer: { close(): Promise<void> } | null;
}

/** The emulator object: the shared part plus the emulator's own (`own`; its accessors are kept as accessors). */
export function composeEmulator<E extends BaseEmulator<R>, R, T>(parts: BaseEmulatorParts<T, R>, own: Omit<E, keyof BaseEmulator<R>>): E {
  const { dispatcher, clock } = parts;
  const base: BaseEmulator<R> = {
    get url() {
      return parts.baseUrl();
    },
    get port() {
      return portOf(parts.server());
    },
    get deliveryDelayMs() {
      return dispatcher.deliveryDelayMs;
    },
    set deliveryDelayMs(ms: number) {
      dispatcher.deliveryDelayMs = ms;
    },
    setWebhookUrl(url) {
      dispatcher.setUrl(url);
    },
    pauseDeliveries() {
      dispatcher.pause();
    },
    resumeDeliveries(resumeOptions) {
      return dispatcher.resume(resumeOptions?.order ?? 'sent');
    },
    dropDeliveries(about) {
      dispatcher.drop(about);
    },
    dropped() {
      return dispatcher.dropped();
    },
    deliveries() {
      return dispatcher.deliveries();
    },
    idle() {
      return dispatcher.idle();
    },
    now() {
      return new Date(clock.nowMs());
    },
    async stop() {
      // The server first, so no request emits a webhook once the dispatcher stopped; the last save then
      // keeps what is still undelivered (pending()) for the next start.
      const server = parts.server();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      dispatcher.stop();
      await parts.writer?.close();
    },
  };
  return Object.defineProperties(own, Object.getOwnPropertyDescriptors(base)) as unknown as E;
}

/** Enqueues and waits for that delivery, unless deliveries are paused (then it stays queued). */
export function deliverAndWait<T, R>(dispatcher: WebhookDispatcher<T, R>, item: T): Promise<void> {
  return new Promise<void>((resolve) => {
    dispatcher.enqueue(item, resolve);
    if (dispatcher.isPaused()) resolve();
  });
}
