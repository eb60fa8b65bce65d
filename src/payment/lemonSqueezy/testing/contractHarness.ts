import { getSubscription, updateSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import { emulatorHarnessSteps } from '../../contract/emulatorHarness.js';
import type { ProcessorHarness } from '../../contract/processorHarness.js';
import { signLemonSqueezyPayload } from '../webhook/verifyLemonSqueezySignature.js';
import { startEmulatedLemonSqueezy } from '../lemonSqueezyEmulatorMode.js';

const MONEY_EVENTS = new Set(['order_created', 'subscription_payment_success']);

/** Throws the SDK's returned error, so a harness step that fails says why. */
async function ok<T extends { error: Error | null }>(call: Promise<T>): Promise<T> {
  const result = await call;
  if (result.error) throw result.error;
  return result;
}

/** Lemon Squeezy's side of the processor contract: the local emulator, driven as buyer, customer and clock. */
export async function createContractHarness(): Promise<ProcessorHarness> {
  const driver = await startEmulatedLemonSqueezy({});
  const { emulator } = driver;
  const lastMoneyDelivery = () => {
    const delivery = emulator.emitted().filter((d) => MONEY_EVENTS.has(d.eventName)).at(-1);
    if (!delivery) throw new Error('no payment webhook emitted yet');
    return delivery;
  };
  return {
    ...emulatorHarnessSteps(driver, emulator),
    async cancelAtPeriodEnd(subscriptionId) {
      await ok(updateSubscription(subscriptionId, { cancelled: true }));
    },
    async resume(subscriptionId) {
      await ok(updateSubscription(subscriptionId, { cancelled: false }));
    },
    async fixPaymentMethod(subscriptionId) {
      const subscription = await ok(getSubscription(subscriptionId));
      await emulator.updatePaymentMethod(subscription.data!.data.attributes.customer_id);
    },
    // Lemon Squeezy has no event ids: a duplicate is the same delivery, byte for byte.
    duplicateLastPayment: () => emulator.redeliver(lastMoneyDelivery().id),
    async sendForgedDelivery(webhookUrl) {
      const { eventName, body } = lastMoneyDelivery();
      const raw = JSON.stringify(body);
      return fetch(webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-event-name': eventName, 'x-signature': signLemonSqueezyPayload(raw, 'not-the-secret') },
        body: raw,
      });
    },
  };
}
