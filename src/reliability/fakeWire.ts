import { FAKE_SIGNATURE_HEADER, signFakePayload } from '../payment/fake/fakeWebhook.js';
import { FAKE_SECRET } from './harness.js';
import type { FakeDelivery } from './histories.js';
import type { WireDelivery, WireEncoder } from './wire.js';

function fakeDelivery(delivery: FakeDelivery): WireDelivery {
  const body = JSON.stringify(delivery);
  return { eventId: delivery.id, type: delivery.type, body, headers: () => ({ 'content-type': 'application/json', [FAKE_SIGNATURE_HEADER]: signFakePayload(body, FAKE_SECRET) }) };
}

/** The fake processor's wire format is the normalized events themselves: no mapping, no foreign traffic. */
export const fakeWire: WireEncoder = {
  processor: 'fake',
  serverEnv: { CHAOS_PROCESSOR: 'fake', FAKE_WEBHOOK_SECRET: FAKE_SECRET },
  encode: (history) => ({
    history,
    events: history.events.map((e) => ({ delivery: fakeDelivery(e.delivery), twin: () => fakeDelivery({ ...e.delivery, id: `${e.delivery.id}_twin` }), at: e.at })),
  }),
  subscriptionIdOf: (id) => id,
};
