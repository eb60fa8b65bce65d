import { getSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { LsOrderData, LsSubscriptionData } from './types.js';
import { buy, ok, startHarness, VARIANTS, type Harness } from './testSupport.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const control = (body: unknown) => fetch(`${h!.emulator.url}/_emulator/foreign-traffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('POST /_emulator/foreign-traffic', () => {
  it("other-product: our customer subscribes to another product through a checkout not ours (no custom data), real objects of the store", async () => {
    h = await startHarness();
    const { customerId } = await buy(h);
    const mark = h.emulator.emitted().length;
    expect((await control({ kind: 'other-product', customerId })).status).toBe(200);
    await h.emulator.idle();
    const sent = h.emulator.emitted().slice(mark);
    expect(sent.map((w) => w.eventName)).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
    for (const webhook of sent) {
      expect(webhook.body.meta.custom_data).toBeUndefined();
      expect(String((webhook.body.data.attributes as { customer_id: number }).customer_id)).toBe(customerId);
    }
    const subscription = sent[1]!.body.data as LsSubscriptionData;
    expect(subscription.attributes.variant_id).not.toBeOneOf(Object.values(VARIANTS));
    expect(ok(await getSubscription(subscription.id)).data.attributes.product_name).toBe('Another product of the store');
    expect(h.receiver.rejected).toEqual([]);
  });

  it('other-customer: a buyer the app has never seen; unknown-event: an event the app does not act on; a bad kind is a 400', async () => {
    h = await startHarness();
    const { customerId } = await buy(h);
    const mark = h.emulator.emitted().length;
    expect((await control({ kind: 'other-customer' })).status).toBe(200);
    expect((await control({ kind: 'unknown-event' })).status).toBe(200);
    const sent = h.emulator.emitted().slice(mark);
    expect(String((sent[0]!.body.data as LsOrderData).attributes.customer_id)).not.toBe(customerId);
    expect(sent.at(-1)).toMatchObject({ eventName: 'affiliate_activated', body: { data: { type: 'affiliates' } } });
    const bad = await control({ kind: 'everything' });
    expect(bad.status).toBe(400);
    expect(h.emulator.emitted()).toHaveLength(mark + sent.length);
  });
});
