import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import type { TestServer } from '../../test/testServer.js';
import * as stripe from '../stripe/testing/stripeObjects.js';
import { startStripeTestApp, type StripeTestApp } from '../stripe/testing/stripeTestApp.js';
import { storable } from './storable.js';

describe('storable', () => {
  it('replaces NUL and lone surrogates in strings and keys, keeps pairs, Dates and other values', () => {
    const date = new Date('2026-12-02T00:00:00Z');
    expect(storable({ 'k\u0000': ['a\u0000b', 'x\ud800', '\udc00y', '\ud83d\ude00', 1, null, true], date })).toEqual({
      'k\ufffd': ['a\ufffdb', 'x\ufffd', '\ufffdy', '\ud83d\ude00', 1, null, true],
      date,
    });
  });
});

// A signed delivery holding what PostgreSQL refuses, over HTTP with Stripe's real signature: stored (as
// U+FFFD) and applied, never a 500 the processor retries for days. Lemon Squeezy's: storableLemonSqueezy.test.ts.
let app: StripeTestApp;
let t: TestServer;
beforeAll(async () => {
  app = await startStripeTestApp();
  t = app.t;
});
afterAll(() => app.close());

it('a signed Stripe delivery holding \\u0000 and a lone surrogate is stored with U+FFFD and applied', async () => {
  const owner = await t.signup(`owner-${randomUUID().slice(0, 8)}@example.com`);
  const session = stripe.stripeCheckoutSession({ mode: 'payment', workspaceId: owner.workspaceId, customer: `cus_${randomUUID().slice(0, 8)}`, planId: 'credits10' });
  const event = stripe.stripeEvent('checkout.session.completed', { ...session, metadata: { ...session.metadata, note: 'nul\u0000 and \ud800 lone' } });
  const { body, headers } = stripe.signStripeDelivery(event);
  expect((await fetch(`${t.baseUrl}/payments-webhook`, { method: 'POST', headers, body })).status).toBe(200);
  expect(await db().webhookDelivery.findFirstOrThrow({ where: { eventId: event.id } })).toMatchObject({
    status: 'processed',
    payload: { data: { object: { metadata: { note: 'nul\ufffd and \ufffd lone' } } } },
  });
  expect((await t.workspace(owner.workspaceId)).credits).toBe(10);
});
