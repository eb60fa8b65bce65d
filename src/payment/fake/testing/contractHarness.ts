import { emulatorHarnessSteps } from '../../contract/emulatorHarness.js';
import type { ProcessorHarness } from '../../contract/processorHarness.js';
import { startEmulatedFake } from '../fakeEmulatorMode.js';
import { FAKE_SIGNATURE_HEADER, signFakePayload } from '../webhook/signature.js';

/** The fake's side of the processor contract: its emulator, driven as buyer, customer and clock. */
export async function createContractHarness(): Promise<ProcessorHarness> {
  const driver = startEmulatedFake({});
  const { emulator } = driver;
  const lastPayment = () => {
    const event = emulator.emitted().filter((e) => e.type === 'charge.paid').at(-1);
    if (!event) throw new Error('no charge.paid sent yet');
    return event;
  };
  return {
    ...emulatorHarnessSteps(driver, emulator),
    cancelAtPeriodEnd: (subscriptionId) => emulator.updateSubscription(subscriptionId, { cancel_at_period_end: true }),
    resume: (subscriptionId) => emulator.updateSubscription(subscriptionId, { cancel_at_period_end: false }),
    async fixPaymentMethod(subscriptionId) {
      await emulator.updatePaymentMethod((await emulator.getSubscription(subscriptionId)).customer);
    },
    // The same delivery again, and the same charge under a new event id.
    async duplicateLastPayment() {
      const event = lastPayment();
      await emulator.redeliver(event.id);
      emulator.sendTwin(event);
    },
    async sendForgedDelivery(webhookUrl) {
      const body = JSON.stringify(lastPayment());
      return fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', [FAKE_SIGNATURE_HEADER]: signFakePayload(body, 'not-the-secret') }, body });
    },
  };
}
