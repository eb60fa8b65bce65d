import { describe, expect, it } from 'vitest';
import { WebhookPayloadError, WebhookSignatureError } from '../webhookErrors.js';
import { loadFakeConfig } from './fakeConfig.js';
import { fakeChargePaid } from './testing/fakeEvents.js';
import { parseFakeWebhook } from './webhook/fakeWebhook.js';
import { FAKE_SIGNATURE_HEADER, signFakePayload } from './webhook/signature.js';

// The fake's webhook parsing on its own; the contract suites cover the same through the app.
const config = loadFakeConfig({});
const signed = (event: object, secret = config.webhookSecret) => {
  const body = Buffer.from(JSON.stringify(event));
  return parseFakeWebhook(body, { [FAKE_SIGNATURE_HEADER]: signFakePayload(body, secret) }, config);
};
const charge = fakeChargePaid({ workspaceId: 'ws_1', chargeId: 'fch_1', price: 'fake_price_credits10', amount: 990 });
const withObject = (object: object) => ({ ...charge, data: { object: { ...charge.data.object, ...object } } });

describe('fake processor webhooks', () => {
  it('maps a charge.paid to a payment under the charge id, for the workspace in its metadata', () => {
    expect(signed(charge)).toMatchObject({
      eventId: charge.id,
      type: 'charge.paid',
      events: [{ type: 'payment.succeeded', ref: { workspaceId: 'ws_1' }, money: { moneyId: 'fch_1', amount: 990, currency: 'usd' }, planId: 'credits10' }],
    });
  });

  it('refuses a wrong or missing signature (400), and a body without an id (400)', () => {
    expect(() => signed(charge, 'not-the-secret-at-all')).toThrow(WebhookSignatureError);
    expect(() => parseFakeWebhook(Buffer.from(JSON.stringify(charge)), {}, config)).toThrow(WebhookSignatureError);
    expect(() => signed({ type: 'charge.paid', data: { object: {} } })).toThrow(WebhookPayloadError);
  });

  it('ignores what is not ours (no workspace ref, not our price) before reading its shape', () => {
    const foreign = signed(withObject({ price: 'price_of_another_app', metadata: {}, amount: 'not a number' }));
    expect(foreign).toMatchObject({ events: [], ignoredReason: expect.stringMatching(/price_of_another_app is not one of our plans/) });
  });

  it('keeps ours that does not parse as unreadable, and acknowledges types it does not act on', () => {
    expect(signed(withObject({ amount: 'ten' }))).toMatchObject({ events: [], unreadable: expect.stringMatching(/^Fake processor charge\.paid: payload invalid: .*amount/s) });
    expect(signed({ ...charge, type: 'customer.updated' })).toMatchObject({ events: [], type: 'customer.updated' });
  });
});
