import type { ProcessorDriver } from '../paymentProcessor.js';
import { definePaymentProcessor } from '../webhookHandler.js';
import type { ProcessorHarness } from './processorHarness.js';

/** The test cards every local emulator understands. */
export const TEST_CARDS = { good: '4242424242424242', declined: '4000000000000002', failsRenewals: '4000000000000341' } as const;

const DAY = 24 * 60 * 60;

/** What every local emulator offers as buyer, clock and webhook sender. */
interface LocalEmulator {
  url: string;
  setWebhookUrl(url: string): void;
  completeCheckout(sessionId: string, card?: string): Promise<unknown>;
  advanceClock(seconds: number): Promise<void>;
  now(): Date;
  pauseDeliveries(): void;
  resumeDeliveries(options?: { order?: 'sent' | 'reverse' | 'shuffle' }): Promise<void>;
  dropDeliveries(about: { customer?: string } | null): void;
  dropped(): string[];
  redeliver(id: string): Promise<void>;
  idle(): Promise<void>;
  stop(): Promise<void>;
}

type EmulatorSteps =
  | 'processor'
  | 'setWebhookUrl'
  | 'checkoutUrlPrefix'
  | 'pay'
  | 'advanceDays'
  | 'now'
  | 'refund'
  | 'pauseDeliveries'
  | 'resumeDeliveries'
  | 'dropDeliveries'
  | 'redeliverDropped'
  | 'idle'
  | 'close';

/** The harness steps that are the same for every processor running on its local emulator. */
export function emulatorHarnessSteps(driver: ProcessorDriver, emulator: LocalEmulator): Pick<ProcessorHarness, EmulatorSteps> {
  let redelivered = 0;
  return {
    processor: definePaymentProcessor(driver),
    setWebhookUrl: (url) => emulator.setWebhookUrl(url),
    checkoutUrlPrefix: `${emulator.url}/checkout/`,
    async pay(sessionId, card) {
      await emulator.completeCheckout(sessionId, TEST_CARDS[card]);
    },
    advanceDays: (days) => emulator.advanceClock(days * DAY),
    now: () => emulator.now(),
    // As the dashboard would: the driver's own refund of what is left.
    async refund(moneyId) {
      await driver.refundPayment!(moneyId);
    },
    pauseDeliveries: () => emulator.pauseDeliveries(),
    resumeDeliveries: (order) => emulator.resumeDeliveries({ order }),
    dropDeliveries: (about) => emulator.dropDeliveries(about),
    async redeliverDropped() {
      const late = emulator.dropped().slice(redelivered);
      redelivered += late.length;
      for (const id of late) await emulator.redeliver(id);
    },
    idle: () => emulator.idle(),
    close: () => emulator.stop(),
  };
}
