import { afterAll, beforeAll, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { startTestServer, type TestServer } from '../../test/testServer.js';
import { createLemonSqueezyDriver } from '../lemonSqueezy/lemonSqueezyProcessor.js';
import { startFakeLemonSqueezyApi, type FakeLemonSqueezyApi } from '../lemonSqueezy/testing/fakeLemonSqueezyApi.js';
import * as ls from '../lemonSqueezy/testing/lemonSqueezyPayloads.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { definePaymentProcessor } from '../webhookHandler.js';

// storable.test.ts with Lemon Squeezy's signature (X-Signature over the exact bytes).
let api: FakeLemonSqueezyApi;
let t: TestServer;
beforeAll(async () => {
  api = await startFakeLemonSqueezyApi();
  t = await startTestServer({
    processor: definePaymentProcessor(
      createLemonSqueezyDriver({ timeoutMs: 5_000, apiKey: 'ls_test_app_key', storeId: ls.TEST_STORE_ID, webhookSecret: ls.TEST_WEBHOOK_SECRET, apiUrl: api.url, planIds: loadProcessorPlanIds(ls.TEST_PLAN_ENV) }),
    ),
  });
});
afterAll(() => api.close());

it('a signed Lemon Squeezy delivery holding \\u0000 and a lone surrogate is stored with U+FFFD and applied', async () => {
  const owner = await t.signup('owner-nul@example.com');
  const order = ls.lsOrder({ variantId: ls.TEST_VARIANTS.credits10, customerId: ls.nextId() });
  const webhook = ls.lsWebhook('order_created', { ...order, attributes: { ...order.attributes, user_name: 'Ada\u0000 \udfff' } }, { workspaceId: owner.workspaceId, planId: 'credits10' });
  const { body, headers } = ls.signLemonSqueezyDelivery(webhook);
  expect((await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers, body })).status).toBe(200);
  const stored = await db().webhookDelivery.findFirstOrThrow({ where: { type: 'order_created' } });
  expect(stored).toMatchObject({ status: 'processed', payload: { data: { id: order.id, attributes: { user_name: 'Ada\ufffd \ufffd' } } } });
  expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
});
