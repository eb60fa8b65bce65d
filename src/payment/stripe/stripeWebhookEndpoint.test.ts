import { afterEach, describe, expect, it } from 'vitest';
import { startRawCollector, type RawCollector } from '../../emulators/shared/rawCollector.js';
import { API_KEY, startHarness, subscribe, WEBHOOK_SECRET, type Harness } from './emulator/testSupport.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { STRIPE_API_VERSION } from './stripeClient.js';
import { createStripeDriver } from './stripeProcessor.js';
import { mappedStripeEventTypes } from './webhook/stripeWebhook.js';

// The driver's webhookEndpoint through the real SDK against the Stripe emulator's /v1/webhook_endpoints.

const planIds = loadProcessorPlanIds({
  PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'price_hobby',
  PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_pro',
  PAYMENTS_CREDITS_10_PLAN_ID: 'price_credits10',
});
const OUR_EVENTS = [...mappedStripeEventTypes].sort();

let h: Harness | undefined;
let other: RawCollector | undefined;
afterEach(async () => {
  await h?.close();
  await other?.close();
  h = undefined;
  other = undefined;
});

function driverFor(harness: Harness, options: { webhookSecret?: string; apiKey?: string } = {}) {
  return createStripeDriver({
    apiKey: options.apiKey ?? API_KEY,
    webhookSecret: options.webhookSecret ?? WEBHOOK_SECRET,
    apiUrl: harness.emulator.url,
    automaticTax: false,
    planIds,
    maxNetworkRetries: 0,
    timeoutMs: 5_000,
  });
}

describe('Stripe webhookEndpoint (emulator /v1/webhook_endpoints, real SDK)', () => {
  it("narrows the account's endpoint for the URL from every event to exactly the plugin's, keeping its secret; then leaves it unchanged", async () => {
    h = await startHarness();
    const endpoint = driverFor(h).webhookEndpoint!;
    const url = h.receiver.url;
    const { data: listed } = await h.stripe.webhookEndpoints.list();
    expect(listed).toHaveLength(1);
    const own = listed[0]!;
    expect(own).toMatchObject({ url, enabled_events: ['*'], api_version: STRIPE_API_VERSION, status: 'enabled' });
    expect(own.secret).toBeUndefined();
    expect(await endpoint.check({ url })).toEqual([`Stripe webhook endpoint ${own.id} also sends *, which the plugin acknowledges and ignores`]);

    expect(await endpoint.ensure({ url })).toEqual({ action: 'updated', endpointId: own.id, secret: null, apiVersion: STRIPE_API_VERSION, events: OUR_EVENTS });
    expect([...(await h.stripe.webhookEndpoints.retrieve(own.id)).enabled_events].sort()).toEqual(OUR_EVENTS);
    expect(await endpoint.check({ url })).toEqual([]);
    expect(await endpoint.ensure({ url })).toMatchObject({ action: 'unchanged', endpointId: own.id, secret: null });

    // Only the plugin's events arrive now, still signed with the secret in use.
    await subscribe(h);
    await h.emulator.idle();
    expect(h.receiver.rejected).toEqual([]);
    const types = h.receiver.types();
    expect(types).toContain('checkout.session.completed');
    expect(types.filter((type) => !OUR_EVENTS.includes(type))).toEqual([]);
    expect(h.emulator.events().some((event) => !OUR_EVENTS.includes(event.type))).toBe(true);
  });

  it('creates an endpoint for a new URL on the pinned version; its secret is returned once, never listed, and signs the deliveries there', async () => {
    h = await startHarness();
    const target = (other = await startRawCollector());
    const endpoint = driverFor(h).webhookEndpoint!;
    expect(await endpoint.check({ url: target.url })).toEqual([`Stripe has no enabled webhook endpoint for ${target.url} (run npm run billing:webhook-endpoint)`]);

    const setup = await endpoint.ensure({ url: target.url });
    expect(setup).toMatchObject({ action: 'created', apiVersion: STRIPE_API_VERSION, events: OUR_EVENTS });
    expect(setup.secret).toMatch(/^whsec_\w{32}$/);
    const created = await h.stripe.webhookEndpoints.retrieve(setup.endpointId);
    expect(created).toMatchObject({ url: target.url, api_version: STRIPE_API_VERSION, status: 'enabled' });
    expect(JSON.stringify(await h.stripe.webhookEndpoints.list())).not.toContain(setup.secret!);
    expect(await endpoint.ensure({ url: target.url })).toMatchObject({ action: 'unchanged', endpointId: setup.endpointId, secret: null });

    h.emulator.setWebhookUrl(target.url);
    await subscribe(h);
    await h.emulator.idle();
    expect(target.received.length).toBeGreaterThan(0);
    const app = driverFor(h, { webhookSecret: setup.secret! });
    for (const { raw, headers } of target.received) expect((await app.parseWebhook(raw, headers)).unreadable).toBeUndefined();
    const [first] = target.received;
    await expect(driverFor(h).parseWebhook(first!.raw, first!.headers)).rejects.toThrow(/signature/i);
  });

  it('replaces an endpoint on another API version (which cannot change) by a new one, and disables the old', async () => {
    h = await startHarness();
    const target = (other = await startRawCollector());
    const old = await h.stripe.webhookEndpoints.create({ url: target.url, api_version: '2024-06-20', enabled_events: ['*'] });
    const endpoint = driverFor(h).webhookEndpoint!;
    expect(await endpoint.check({ url: target.url })).toEqual([
      `Stripe webhook endpoint ${old.id} sends API version 2024-06-20, the plugin pins ${STRIPE_API_VERSION} (run npm run billing:webhook-endpoint)`,
      `Stripe webhook endpoint ${old.id} also sends *, which the plugin acknowledges and ignores`,
    ]);

    const setup = await endpoint.ensure({ url: target.url });
    expect(setup).toMatchObject({ action: 'created', apiVersion: STRIPE_API_VERSION, disabled: [{ endpointId: old.id, why: expect.stringContaining('2024-06-20') }] });
    expect(setup.endpointId).not.toBe(old.id);
    expect((await h.stripe.webhookEndpoints.retrieve(old.id)).status).toBe('disabled');
    expect(await endpoint.check({ url: target.url })).toEqual([]);

    // Deliveries to the URL now come from the new endpoint, signed with its secret.
    h.emulator.setWebhookUrl(target.url);
    await subscribe(h);
    await h.emulator.idle();
    const app = driverFor(h, { webhookSecret: setup.secret! });
    for (const { raw, headers } of target.received) expect((await app.parseWebhook(raw, headers)).unreadable).toBeUndefined();
  });

  it('a refused call is a ProcessorError that names the step and not the key', async () => {
    h = await startHarness();
    const wrongKey = 'sk_live_the_emulator_takes_test_keys_only'; // the emulator refuses live keys
    const failure = await driverFor(h, { apiKey: wrongKey }).webhookEndpoint!.check({ url: h.receiver.url }).catch((error: Error) => error);
    expect(failure).toMatchObject({ name: 'ProcessorError' });
    expect((failure as Error).message).toMatch(/^Could not list the webhook endpoints/);
    expect((failure as Error).message).not.toContain(wrongKey);
  });
});
