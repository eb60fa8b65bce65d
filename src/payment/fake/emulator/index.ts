import { EmulatorClock } from '../../../emulators/shared/clock.js';
import { runDueActions } from '../../../emulators/shared/scheduler.js';
import type { ResumeOrder } from '../../../emulators/shared/webhookDispatcher.js';
import type { FakeApi } from '../fakeApi.js';
import { FakeApiError } from '../fakeErrors.js';
import { FakeBilling, PERIOD_MS, type FakePrice } from './billing.js';
import { findFakeTestCard } from './cards.js';
import { FakeStore, newId, type SubscriptionRecord } from './store.js';
import { FakeWebhooks, type FakeEvent } from './webhooks.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Where its hosted pages would be: an address that never resolves, for the API runs in-process. */
const FAKE_ORIGIN = 'https://fake-processor.invalid';

/** The fake's API plus what a test drives as buyer, customer, clock and network. */
export interface FakeEmulator extends FakeApi {
  readonly url: string;
  setWebhookUrl(url: string): void;
  /** The buyer pays the checkout with a test card (cards.ts); a declined card throws and changes nothing. */
  completeCheckout(sessionId: string, card?: string): Promise<void>;
  /** As the customer would: a working card for the next charges and retries. */
  updatePaymentMethod(customer: string): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  now(): Date;
  pauseDeliveries(): void;
  resumeDeliveries(options?: { order?: ResumeOrder }): Promise<void>;
  dropDeliveries(about: { customer?: string } | null): void;
  dropped(): string[];
  redeliver(eventId: string): Promise<void>;
  /** The same event under a new id (as a processor that sends one fact twice). */
  sendTwin(event: FakeEvent): void;
  emitted(): readonly FakeEvent[];
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The fake processor's account, in-process: customers, checkouts, subscriptions and charges, its own
 * clock, and signed webhooks to `webhookUrl` through the shared delivery queue. Nothing is persisted.
 */
export function startFakeEmulator(options: { webhookSecret: string; webhookUrl?: string; prices: FakePrice[] }): FakeEmulator {
  const store = new FakeStore();
  const clock = new EmulatorClock();
  const webhooks = new FakeWebhooks(options.webhookSecret, options.webhookUrl);
  const billing = new FakeBilling(store, webhooks, clock, new Map(options.prices.map((price) => [price.id, price])));
  const { dispatcher } = webhooks;

  const customerOf = (id: string) => store.customers.get(id) ?? missing('customer', id);
  const subscriptionOf = (id: string): SubscriptionRecord => store.subscriptions.get(id) ?? missing('subscription', id);

  function pay(checkoutId: string, cardNumber: string): void {
    const checkout = store.checkouts.get(checkoutId) ?? missing('checkout', checkoutId);
    if (checkout.paid) throw new FakeApiError(400, `Checkout ${checkoutId} is paid already`);
    const card = findFakeTestCard(cardNumber);
    if (!card) throw new FakeApiError(402, 'Unknown test card');
    if (card.behaviour === 'declined') throw new FakeApiError(402, 'Your card was declined');
    const customer = customerOf(checkout.customer);
    customer.card = card.behaviour;
    checkout.paid = true;
    const now = billing.now();
    webhooks.emit('checkout.paid', { id: checkout.id, customer: customer.id, price: checkout.price, metadata: checkout.metadata }, now);
    if (checkout.mode === 'payment') {
      billing.charge(customer, checkout.price, null, true);
      return;
    }
    const trialEnd = checkout.trialDays ? now + checkout.trialDays * DAY_MS : null;
    const object = {
      id: newId('fsub'),
      customer: customer.id,
      price: checkout.price,
      state: trialEnd ? ('trial' as const) : ('active' as const),
      cancel_at_period_end: false,
      period_end: trialEnd ?? now + PERIOD_MS,
      trial_end: trialEnd,
      updated: now,
      metadata: { ...checkout.metadata },
    };
    store.subscriptions.set(object.id, { object, openCharge: null, retryAt: null });
    if (!trialEnd) billing.charge(customer, checkout.price, object.id, true);
    billing.touch(object);
  }

  return {
    url: FAKE_ORIGIN,
    async createCustomer({ email, metadata }) {
      const customer = { id: newId('fcus'), email, metadata, card: 'pays' as const };
      store.customers.set(customer.id, customer);
      return { id: customer.id };
    },
    async createCheckout(args) {
      customerOf(args.customer);
      const existing = store.checkoutsByKey.get(args.idempotencyKey);
      const id = existing ?? newId('fcs');
      if (!existing) {
        store.checkouts.set(id, { ...args, id, paid: false });
        store.checkoutsByKey.set(args.idempotencyKey, id);
      }
      return { id, url: `${FAKE_ORIGIN}/checkout/${id}` };
    },
    async portalUrl({ customer, returnUrl }) {
      customerOf(customer);
      return `${FAKE_ORIGIN}/portal/${customer}?return_url=${encodeURIComponent(returnUrl)}`;
    },
    async getSubscription(id) {
      return structuredClone(subscriptionOf(id).object);
    },
    async updateSubscription(id, changes) {
      const { object } = subscriptionOf(id);
      if (object.state === 'ended') throw new FakeApiError(400, `Subscription ${id} has ended`);
      const price = changes.price ?? object.price;
      const cancel = changes.cancel_at_period_end ?? object.cancel_at_period_end;
      // Asking for what it has already is a no-op: no event.
      if (price === object.price && cancel === object.cancel_at_period_end) return;
      Object.assign(object, { price, cancel_at_period_end: cancel });
      billing.touch(object);
    },
    async deleteSubscription(id) {
      const record = subscriptionOf(id);
      if (record.object.state === 'ended') throw new FakeApiError(400, `Subscription ${id} has ended`);
      billing.end(record);
    },
    async refundCharge(id, { amount, idempotencyKey }) {
      const earlier = idempotencyKey === undefined ? undefined : store.refundsByKey.get(idempotencyKey);
      if (earlier) return earlier;
      const charge = store.charges.get(id) ?? missing('charge', id);
      const left = charge.amount - charge.amount_refunded;
      const refunded = amount ?? left;
      if (charge.failure_reason !== null) throw new FakeApiError(400, `Charge ${id} was not paid`);
      if (refunded <= 0 || refunded > left) throw new FakeApiError(400, `Charge ${id} has ${left} left to refund, not ${refunded}`);
      Object.assign(charge, { amount_refunded: charge.amount_refunded + refunded, refunded_at: billing.now() });
      webhooks.emit('charge.refunded', charge, billing.now());
      const refund = { id: newId('fre'), amount: refunded };
      if (idempotencyKey !== undefined) store.refundsByKey.set(idempotencyKey, refund);
      return refund;
    },
    async listCustomerObjects(customer) {
      customerOf(customer);
      const newestFirst = <T>(objects: T[]) => structuredClone(objects).reverse();
      return {
        subscriptions: newestFirst([...store.subscriptions.values()].map((r) => r.object).filter((s) => s.customer === customer)),
        charges: newestFirst([...store.charges.values()].filter((c) => c.customer === customer)),
      };
    },
    setWebhookUrl: (url) => dispatcher.setUrl(url),
    async completeCheckout(sessionId, card = '4242424242424242') {
      pay(sessionId, card);
    },
    async updatePaymentMethod(customer) {
      customerOf(customer).card = 'pays';
    },
    async advanceClock(seconds) {
      runDueActions(clock, clock.nowMs() / 1000 + seconds, () => billing.dueActions());
    },
    now: () => new Date(clock.nowMs()),
    pauseDeliveries: () => dispatcher.pause(),
    resumeDeliveries: (resume) => dispatcher.resume(resume?.order ?? 'sent'),
    dropDeliveries: (about) => dispatcher.drop(about),
    dropped: () => dispatcher.dropped(),
    async redeliver(eventId) {
      webhooks.redeliver(eventId);
    },
    sendTwin: (event) => webhooks.twin(event),
    emitted: () => webhooks.emitted(),
    idle: () => dispatcher.idle(),
    async stop() {
      dispatcher.stop();
    },
  };
}

function missing(what: string, id: string): never {
  throw new FakeApiError(404, `No such ${what}: ${id}`);
}
