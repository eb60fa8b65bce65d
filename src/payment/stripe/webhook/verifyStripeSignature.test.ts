import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProcessorPlanIds } from '../../processorPlanIds.js';
import { signStripeDelivery, stripeEvent, stripeInvoice, TEST_PLAN_ENV, TEST_WEBHOOK_SECRET } from '../testing/stripeObjects.js';
import { parseStripeWebhook } from './stripeWebhook.js';

// A captured delivery cannot be replayed later: Stripe's signature carries its time (FUZZ_RUNS scales it).
const RUNS = Math.ceil(Number(process.env.FUZZ_RUNS ?? 60) / 2);
const deps = { webhookSecret: TEST_WEBHOOK_SECRET, planIds: loadProcessorPlanIds(TEST_PLAN_ENV), findInvoiceOfPaymentIntent: async () => null };

describe('Stripe signature tolerance', () => {
  it('rejects a replayed Stripe delivery signed more than 300 s ago, accepts one inside the tolerance', async () => {
    const event = stripeEvent('invoice.paid', stripeInvoice({}));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 301, max: 10 * 365 * 86_400 }), fc.integer({ min: 0, max: 290 }), async (oldAge, freshAge) => {
        const now = Math.floor(Date.now() / 1000);
        const old = signStripeDelivery(event, { timestamp: now - oldAge });
        await expect(parseStripeWebhook(Buffer.from(old.body), old.headers, deps)).rejects.toThrow(/more than 300 seconds old/);
        const fresh = signStripeDelivery(event, { timestamp: now - freshAge });
        await expect(parseStripeWebhook(Buffer.from(fresh.body), fresh.headers, deps)).resolves.toMatchObject({ eventId: event.id });
      }),
      { numRuns: RUNS, seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined },
    );
  });
});
