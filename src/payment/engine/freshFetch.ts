import type { SubscriptionSnapshot } from '../events.js';
import type { ProcessorDriver } from '../paymentProcessor.js';

/**
 * A handler needs the processor's current copy of a subscription (two states in the same processor
 * second: the order is undecidable). No processor is called while the engine holds row locks: the
 * handler throws this, the transaction rolls back, applyDelivery fetches outside it and applies again.
 */
export class FetchBeforeApplying extends Error {
  constructor(readonly subscriptionId: string) {
    super(`subscription ${subscriptionId} must be fetched from the processor before the delivery applies`);
    this.name = 'FetchBeforeApplying';
  }
}

/** What applyDelivery fetched between attempts, by subscription id. */
export class FreshFetches {
  private readonly subscriptions = new Map<string, SubscriptionSnapshot | null>();

  get(subscriptionId: string): SubscriptionSnapshot | null | undefined {
    return this.subscriptions.get(subscriptionId);
  }

  /** Fetches what the handler asked for, once per subscription; false when it was fetched already (the handler asks again: a bug). */
  async fetch(processor: Pick<ProcessorDriver, 'fetchSubscription'>, request: FetchBeforeApplying): Promise<boolean> {
    if (this.subscriptions.has(request.subscriptionId)) return false;
    this.subscriptions.set(request.subscriptionId, (await processor.fetchSubscription?.(request.subscriptionId)) ?? null);
    return true;
  }
}
