import type { PaymentProcessor } from '../paymentProcessor.js';

/**
 * What the processor contract suite needs from a processor's local world (its emulator): act as the
 * buyer, the customer in the portal, the processor's clock and its webhook delivery. Each processor
 * ships one as `src/payment/<name>/testing/contractHarness.ts` exporting `createContractHarness`; the
 * suite finds it there, so a new processor gets the whole contract for free.
 */
export interface ProcessorHarness {
  processor: PaymentProcessor;
  /** Where the emulator delivers signed webhooks (the test app's /payments-webhook). */
  setWebhookUrl(url: string): void;
  /** The hosted checkout URLs start with this. */
  checkoutUrlPrefix: string;
  /** Pays a checkout session as the buyer would. 'declined' must throw and change nothing. */
  pay(sessionId: string, card: 'good' | 'declined' | 'failsRenewals'): Promise<void>;
  /** As the customer would in the portal. */
  cancelAtPeriodEnd(subscriptionId: string): Promise<void>;
  resume(subscriptionId: string): Promise<void>;
  /** As the customer would: a working card for the subscription's next charges (and its retries). */
  fixPaymentMethod(subscriptionId: string): Promise<void>;
  /** Moves the processor's clock: renewals, retries of failed payments, period ends. */
  advanceDays(days: number): Promise<void>;
  /** The processor's clock now (for the app's time-driven steps, run at the processor's time). */
  now(): Date;
  /** Refunds a recorded payment in full, by the money id the core stored. */
  refund(moneyId: string): Promise<void>;
  /** Holds deliveries back, then releases them in another order. */
  pauseDeliveries(): void;
  resumeDeliveries(order: 'sent' | 'reverse' | 'shuffle'): Promise<void>;
  /** Loses the later webhooks, as a processor sometimes does: all, or those about one customer; null: deliver again. */
  dropDeliveries(about: { customer?: string } | null): void;
  /** Delivers the webhooks lost since the last call, late, in the order they were sent; resolves once answered. */
  redeliverDropped(): Promise<void>;
  /** Delivers the latest payment webhook again: the same delivery, and the same money under another delivery id where the processor does that. */
  duplicateLastPayment(): Promise<void>;
  /** The app's response to a delivery signed with the wrong secret. */
  sendForgedDelivery(webhookUrl: string): Promise<Response>;
  /** Resolves when every queued delivery has been answered. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type CreateContractHarness = () => Promise<ProcessorHarness>;
