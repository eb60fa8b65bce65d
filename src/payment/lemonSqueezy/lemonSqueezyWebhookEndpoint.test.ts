import { getWebhook, listWebhooks, updateWebhook } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startRawCollector, type RawCollector } from '../../emulators/shared/rawCollector.js';
import { buy, ok, startHarness, STORE_ID, VARIANTS, WEBHOOK_SECRET, type Harness } from './emulator/testSupport.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { createLemonSqueezyDriver } from './lemonSqueezyProcessor.js';
import { mappedLemonSqueezyEvents } from './webhook/lemonSqueezyWebhook.js';

// The driver's webhookEndpoint through the real SDK against the Lemon Squeezy emulator's /v1/webhooks.

const planIds = loadProcessorPlanIds({
  PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: String(VARIANTS.hobby),
  PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: String(VARIANTS.pro),
  PAYMENTS_CREDITS_10_PLAN_ID: String(VARIANTS.credits),
});
const OUR_EVENTS = [...mappedLemonSqueezyEvents].sort();

let h: Harness | undefined;
let other: RawCollector | undefined;
afterEach(async () => {
  await h?.close();
  await other?.close();
  h = undefined;
  other = undefined;
});

function driverFor(harness: Harness, webhookSecret = WEBHOOK_SECRET) {
  return createLemonSqueezyDriver({ apiKey: 'ls_test_api_key', storeId: String(STORE_ID), webhookSecret, apiUrl: harness.emulator.url, planIds, timeoutMs: 5_000 });
}

describe('Lemon Squeezy webhookEndpoint (emulator /v1/webhooks, real SDK)', () => {
  it("updates the store's webhook for the URL to exactly the plugin's events, keeping its secret; then leaves it unchanged", async () => {
    h = await startHarness();
    const endpoint = driverFor(h).webhookEndpoint!;
    const url = h.receiver.url;
    const [own] = ok(await listWebhooks({ filter: { storeId: STORE_ID } })).data;
    // Narrowed by hand in the dashboard: the check says what is missing, and only that event arrives.
    ok(await updateWebhook(own!.id, { events: ['order_created', 'license_key_created'] }));
    expect(await endpoint.check({ url })).toEqual([
      `Lemon Squeezy webhook ${own!.id} does not send ${OUR_EVENTS.filter((e) => e !== 'order_created').join(', ')} (run npm run billing:webhook-endpoint)`,
      `Lemon Squeezy webhook ${own!.id} also sends license_key_created, which the plugin does not act on`,
    ]);
    await buy(h);
    await h.emulator.idle();
    expect(h.receiver.names()).toEqual(['order_created']);

    expect(await endpoint.ensure({ url })).toEqual({ action: 'updated', endpointId: own!.id, secret: null, events: OUR_EVENTS });
    expect([...ok(await getWebhook(own!.id)).data.attributes.events].sort()).toEqual(OUR_EVENTS);
    expect(await endpoint.check({ url })).toEqual([]);
    expect(await endpoint.ensure({ url })).toMatchObject({ action: 'unchanged', endpointId: own!.id, secret: null });

    // The secret in use still signs: the receiver (which knows only that one) accepts every delivery.
    await buy(h, { email: 'second@example.com' });
    await h.emulator.idle();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.names().slice(1)).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
  });

  it('creates a webhook for a new URL with a random secret, returned once and never listed; deliveries there are signed with it', async () => {
    h = await startHarness();
    const target = (other = await startRawCollector());
    const endpoint = driverFor(h).webhookEndpoint!;
    expect(await endpoint.check({ url: target.url })).toEqual([`Lemon Squeezy store ${STORE_ID} has no webhook for ${target.url} (run npm run billing:webhook-endpoint)`]);

    const setup = await endpoint.ensure({ url: target.url });
    expect(setup).toMatchObject({ action: 'created', events: OUR_EVENTS });
    expect(setup.secret).toMatch(/^[0-9a-f]{40}$/);
    const listed = ok(await listWebhooks({ filter: { storeId: STORE_ID } }));
    expect(listed.data.map((w) => w.attributes.url)).toEqual([h.receiver.url, target.url]);
    expect(JSON.stringify(listed)).not.toContain(setup.secret!);
    expect(await endpoint.ensure({ url: target.url })).toMatchObject({ action: 'unchanged', endpointId: setup.endpointId, secret: null });

    h.emulator.setWebhookUrl(target.url);
    await buy(h);
    await h.emulator.idle();
    expect(target.received).toHaveLength(4);
    // The app configured with the new secret verifies and maps them; with the old one, it refuses them.
    const app = driverFor(h, setup.secret!);
    for (const { raw, headers } of target.received) expect((await app.parseWebhook(raw, headers)).unreadable).toBeUndefined();
    const [first] = target.received;
    await expect(driverFor(h).parseWebhook(first!.raw, first!.headers)).rejects.toThrow(/signature does not match/);
  });

  it('lists only the store asked for, and a failed call is a ProcessorError without the key', async () => {
    h = await startHarness();
    const wrongStore = createLemonSqueezyDriver({ apiKey: 'ls_test_api_key', storeId: '999', webhookSecret: WEBHOOK_SECRET, apiUrl: h.emulator.url, planIds, timeoutMs: 5_000 });
    expect(await wrongStore.webhookEndpoint!.check({ url: h.receiver.url })).toEqual([`Lemon Squeezy store 999 has no webhook for ${h.receiver.url} (run npm run billing:webhook-endpoint)`]);
    const failure = await wrongStore.webhookEndpoint!.ensure({ url: h.receiver.url }).catch((error: Error) => error);
    expect(failure).toMatchObject({ name: 'ProcessorError', kind: 'invalid_request' });
    expect((failure as Error).message).toMatch(/^Could not create a webhook for .*: Lemon Squeezy answered 422: The store 999 does not exist/);
    expect((failure as Error).message).not.toContain('ls_test_api_key');
  });
});
