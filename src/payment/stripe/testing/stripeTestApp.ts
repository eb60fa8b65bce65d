import { randomUUID } from 'node:crypto';
import { db } from '../../../db/client.js';
import { startTestServer, type TestUser } from '../../../test/testServer.js';
import { loadProcessorPlanIds } from '../../processorPlanIds.js';
import { definePaymentProcessor } from '../../webhookHandler.js';
import { createStripeDriver } from '../stripeProcessor.js';
import { startFakeStripeApi } from './fakeStripeApi.js';
import { signStripeDelivery, TEST_PLAN_ENV, TEST_WEBHOOK_SECRET } from './stripeObjects.js';

/**
 * The Stripe driver inside the real app, over HTTP, on a fresh PostgreSQL database (call in a test
 * file's beforeAll). Webhooks are signed as Stripe signs them; the SDK's calls go to a local fake API.
 */
export async function startStripeTestApp() {
  const api = await startFakeStripeApi();
  const driver = createStripeDriver({
    apiKey: 'sk_test_app_key',
    webhookSecret: TEST_WEBHOOK_SECRET,
    apiUrl: api.url,
    automaticTax: false,
    planIds: loadProcessorPlanIds(TEST_PLAN_ENV),
    maxNetworkRetries: 0,
    timeoutMs: 5_000,
  });
  const t = await startTestServer({ processor: definePaymentProcessor(driver) });

  async function send(event: unknown, o: { secret?: string; timestamp?: number } = {}) {
    const { body, headers } = signStripeDelivery(event, o);
    const res = await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as { message?: string; duplicate?: boolean; ignored?: boolean } };
  }

  return {
    api,
    t,
    send,
    /** Sends each event in turn, failing on the first answer that is not 200. */
    async sendAll(...events: unknown[]) {
      for (const event of events) {
        const res = await send(event);
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
    },
    owner: (): Promise<TestUser> => t.signup(`owner-${randomUUID().slice(0, 8)}@example.com`),
    outboxFor: (recipient: string) => db().emailOutbox.findMany({ where: { recipient }, orderBy: { createdAt: 'asc' } }),
    close: () => api.close(),
  };
}

export type StripeTestApp = Awaited<ReturnType<typeof startStripeTestApp>>;

/** Fresh Stripe ids for one workspace's objects. */
export function stripeTestIds() {
  const n = randomUUID().replaceAll('-', '').slice(0, 12);
  return { customer: `cus_${n}`, subscription: `sub_${n}`, invoice: `in_${n}`, paymentIntent: `pi_${n}` };
}
