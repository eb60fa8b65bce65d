import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import type { DueAction } from '../../../emulators/shared/scheduler.js';
import type { ChargeObject, SubscriptionObject } from '../webhook/payloadSchemas.js';
import { newId, type Customer, type FakeStore, type SubscriptionRecord } from './store.js';
import type { FakeWebhooks } from './webhooks.js';

const DAY_MS = 24 * 60 * 60 * 1000;
export const PERIOD_MS = 30 * DAY_MS;
/** A failed renewal is tried again every 3 days until it is paid or the subscription ends. */
const RETRY_MS = 3 * DAY_MS;

export interface FakePrice {
  id: string;
  amount: number;
  currency: string;
}

/** The fake's money: charging cards, renewing subscriptions, retrying failed renewals, ending cancelled ones. */
export class FakeBilling {
  constructor(
    private readonly store: FakeStore,
    private readonly webhooks: FakeWebhooks,
    private readonly clock: EmulatorClock,
    private readonly prices: ReadonlyMap<string, FakePrice>,
  ) {}

  now(): number {
    return this.clock.nowMs();
  }

  /** A new charge for `price` on the customer's card; sends charge.paid or charge.failed. `first`: at checkout, where only a declined card fails. */
  charge(customer: Customer, price: string, subscription: string | null, first: boolean): ChargeObject {
    const { amount, currency } = this.prices.get(price)!;
    const charge: ChargeObject = {
      id: newId('fch'),
      customer: customer.id,
      price,
      subscription,
      amount,
      currency,
      amount_refunded: 0,
      failure_reason: null,
      attempted_at: this.now(),
      refunded_at: null,
      metadata: { ...customer.metadata },
    };
    this.store.charges.set(charge.id, charge);
    this.attempt(charge, customer, first);
    return charge;
  }

  /** Sends the subscription as it is now, stamped with a time later than its last one. */
  touch(subscription: SubscriptionObject, type: 'subscription.updated' | 'subscription.deleted' = 'subscription.updated'): void {
    subscription.updated = Math.max(this.now(), subscription.updated + 1);
    this.webhooks.emit(type, subscription, this.now());
  }

  end(record: SubscriptionRecord): void {
    Object.assign(record, { openCharge: null, retryAt: null });
    record.object.state = 'ended';
    this.touch(record.object, 'subscription.deleted');
  }

  /** What falls due on the clock: period ends (a renewal, or the end of a cancelled one) and retries. */
  dueActions(): DueAction[] {
    const actions: DueAction[] = [];
    for (const record of this.store.subscriptions.values()) {
      const { object } = record;
      if (object.state === 'ended') continue;
      if (object.cancel_at_period_end || object.state !== 'overdue') actions.push({ at: object.period_end / 1000, rank: 0, run: () => this.renew(record) });
      if (record.retryAt !== null) actions.push({ at: record.retryAt / 1000, rank: 1, run: () => this.retry(record) });
    }
    return actions;
  }

  private attempt(charge: ChargeObject, customer: Customer, first: boolean): void {
    const fails = customer.card === 'failsRenewals' && !first;
    Object.assign(charge, { attempted_at: this.now(), failure_reason: fails ? 'card_declined' : null });
    this.webhooks.emit(fails ? 'charge.failed' : 'charge.paid', charge, this.now());
  }

  private renew(record: SubscriptionRecord): void {
    const { object } = record;
    if (object.cancel_at_period_end) return this.end(record);
    object.period_end += PERIOD_MS;
    const charge = this.charge(this.store.customers.get(object.customer)!, object.price, object.id, false);
    object.state = charge.failure_reason === null ? 'active' : 'overdue';
    Object.assign(record, charge.failure_reason === null ? { openCharge: null, retryAt: null } : { openCharge: charge.id, retryAt: this.now() + RETRY_MS });
    this.touch(object);
  }

  private retry(record: SubscriptionRecord): void {
    const charge = this.store.charges.get(record.openCharge!)!;
    this.attempt(charge, this.store.customers.get(charge.customer)!, false);
    if (charge.failure_reason !== null) {
      record.retryAt = this.now() + RETRY_MS;
      return;
    }
    Object.assign(record, { openCharge: null, retryAt: null });
    record.object.state = 'active';
    this.touch(record.object);
  }
}
