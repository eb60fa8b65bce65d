import { EVENTS_SIGNATURE_HEADER, signEventsPayload } from '../test/eventsWire.js';
import { FAKE_SECRET } from './harness.js';
import type { FakeDelivery } from './histories.js';
import type { WireDelivery, WireEncoder } from './wire.js';

function fakeDelivery(delivery: FakeDelivery): WireDelivery {
  const body = JSON.stringify(delivery);
  return { eventId: delivery.id, type: delivery.type, body, headers: () => ({ 'content-type': 'application/json', [EVENTS_SIGNATURE_HEADER]: signEventsPayload(body, FAKE_SECRET) }) };
}

/** The core's test processor (src/test/eventsProcessor.ts, id fake): its wire format is the normalized events themselves, no mapping, no foreign traffic. */
export const fakeWire: WireEncoder = {
  processor: 'fake',
  serverEnv: { CHAOS_PROCESSOR: 'fake', FAKE_WEBHOOK_SECRET: FAKE_SECRET },
  encode: (history) => ({
    history,
    events: history.events.map((e) => ({ delivery: fakeDelivery(e.delivery), twin: () => fakeDelivery({ ...e.delivery, id: `${e.delivery.id}_twin` }), at: e.at })),
  }),
  subscriptionIdOf: (id) => id,
};
