import type Stripe from 'stripe';
import { definePaymentProcessor } from '../../webhookHandler.js';
import type { ProcessorHarness } from '../../contract/processorHarness.js';
import { startEmulatedStripe } from '../stripeEmulatorMode.js';

const CARDS = { good: '4242424242424242', declined: '4000000000000002', failsRenewals: '4000000000000341' } as const;
const DAY = 24 * 60 * 60;
const MONEY_EVENTS = new Set(['invoice.paid', 'checkout.session.completed']);

/** Stripe's side of the processor contract: the local emulator, driven as buyer, customer and clock. */
export async function createContractHarness(): Promise<ProcessorHarness> {
  const driver = await startEmulatedStripe({});
  const { emulator, stripe } = driver;
  const lastMoneyEvent = (): Stripe.Event => {
    const event = emulator.events().filter((e) => MONEY_EVENTS.has(e.type)).at(-1);
    if (!event) throw new Error('no payment event emitted yet');
    return event;
  };
  return {
    processor: definePaymentProcessor(driver),
    setWebhookUrl: (url) => emulator.setWebhookUrl(url),
    checkoutUrlPrefix: `${emulator.url}/checkout/`,
    async pay(sessionId, card) {
      await emulator.completeCheckout(sessionId, CARDS[card]);
    },
    async cancelAtPeriodEnd(subscriptionId) {
      await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    },
    async resume(subscriptionId) {
      await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: false });
    },
    async fixPaymentMethod(subscriptionId) {
      emulator.updatePaymentMethod(subscriptionId, CARDS.good);
    },
    advanceDays: (days) => emulator.advanceClock(days * DAY),
    async refund(moneyId) {
      // As the dashboard would: the driver's refund (the invoice's payment intent, or the payment intent).
      await driver.refundPayment!(moneyId);
    },
    pauseDeliveries: () => emulator.pauseDeliveries(),
    resumeDeliveries: (order) => emulator.resumeDeliveries({ order }),
    async duplicateLastPayment() {
      const event = lastMoneyEvent();
      await emulator.redeliver(event.id);
      await emulator.duplicateAsNewEvent(event.id);
    },
    async sendForgedDelivery(webhookUrl) {
      const body = JSON.stringify(lastMoneyEvent());
      const timestamp = Math.floor(Date.now() / 1000);
      const header = stripe.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_not_the_secret', timestamp });
      return fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': header }, body });
    },
    idle: () => emulator.idle(),
    close: () => emulator.stop(),
  };
}
