import type Stripe from 'stripe';
import { emulatorHarnessSteps, TEST_CARDS } from '../../contract/emulatorHarness.js';
import type { ProcessorHarness } from '../../contract/processorHarness.js';
import { startEmulatedStripe } from '../stripeEmulatorMode.js';

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
    ...emulatorHarnessSteps(driver, emulator),
    async cancelAtPeriodEnd(subscriptionId) {
      await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    },
    async resume(subscriptionId) {
      await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: false });
    },
    async fixPaymentMethod(subscriptionId) {
      emulator.updatePaymentMethod(subscriptionId, TEST_CARDS.good);
    },
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
  };
}
