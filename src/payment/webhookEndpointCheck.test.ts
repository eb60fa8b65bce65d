import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './stripe/emulator/testSupport.js';
import { loadProcessorPlanIds } from './processorPlanIds.js';
import { createStripeDriver } from './stripe/stripeProcessor.js';
import { webhookEndpointWarnings, webhookUrlOf } from './webhookEndpointCheck.js';
import { definePaymentProcessor } from './webhookHandler.js';

const planIds = loadProcessorPlanIds({ PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'price_hobby', PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_pro', PAYMENTS_CREDITS_10_PLAN_ID: 'price_credits10' });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function stripeAt(harness: Harness, apiKey: string) {
  return definePaymentProcessor(createStripeDriver({ apiKey, webhookSecret: 'whsec_x', apiUrl: harness.emulator.url, automaticTax: false, planIds, maxNetworkRetries: 0, timeoutMs: 5_000 }));
}

describe('webhookEndpointWarnings (the start-up check)', () => {
  it('names what differs for APP_URL/payments-webhook, and nothing once it is right', async () => {
    h = await startHarness({ webhookUrl: 'https://billing.example.com/payments-webhook' });
    const processor = stripeAt(h, 'sk_test_check');
    expect(await webhookEndpointWarnings(processor, 'https://billing.example.com/')).toEqual([expect.stringMatching(/^Webhook endpoint: Stripe webhook endpoint we_\w+ also sends \*/)]);
    await processor.webhookEndpoint!.ensure({ url: webhookUrlOf('https://billing.example.com') });
    expect(await webhookEndpointWarnings(processor, 'https://billing.example.com')).toEqual([]);
  });

  it('a check that fails is one warning without the key; a local emulator is not checked', async () => {
    h = await startHarness();
    const key = 'sk_live_refused_by_the_emulator_0000';
    const [warning, ...rest] = (await webhookEndpointWarnings(stripeAt(h, key), 'https://billing.example.com'))!;
    expect(rest).toEqual([]);
    expect(warning).toMatch(/^Webhook endpoint for https:\/\/billing\.example\.com\/payments-webhook could not be checked: Could not list the webhook endpoints/);
    expect(warning).not.toContain(key);
    expect(await webhookEndpointWarnings({ ...stripeAt(h, 'sk_test_x'), emulated: true }, 'https://billing.example.com')).toBeNull();
  });
});
