import Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function buyCredits(): Promise<Stripe.PaymentIntent> {
  const session = await h.stripe.checkout.sessions.create({
    mode: 'payment',
    line_items: [{ price: 'price_credits10', quantity: 1 }],
    payment_intent_data: { metadata: { workspaceId: 'ws_r' } },
    success_url: 'http://app.test/ok',
  });
  await h.emulator.completeCheckout(session.id);
  const done = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['payment_intent'] });
  return done.payment_intent as Stripe.PaymentIntent;
}

describe('refunds', () => {
  it('partial then full refund: charge.refunded with cumulative amount_refunded, then refund.created', async () => {
    const pi = await buyCredits();
    const mark = h.emulator.events().length;
    const first = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 300 });
    expect(first.object).toBe('refund');
    expect(first.status).toBe('succeeded');
    expect(first.amount).toBe(300);
    expect(first.payment_intent).toBe(pi.id);
    expect(first.charge).toBe(pi.latest_charge);

    const second = await h.stripe.refunds.create({ charge: String(pi.latest_charge) });
    expect(second.amount).toBe(690);

    const events = h.emulator.events().slice(mark);
    expect(events.map((e) => e.type)).toEqual(['charge.refunded', 'refund.created', 'charge.refunded', 'refund.created']);
    const [r1, , r2] = events as [Stripe.ChargeRefundedEvent, Stripe.RefundCreatedEvent, Stripe.ChargeRefundedEvent];
    expect(r1.data.object.amount_refunded).toBe(300);
    expect(r1.data.object.refunded).toBe(false);
    expect(r2.data.object.amount_refunded).toBe(990);
    expect(r2.data.object.refunded).toBe(true);
    expect(r2.data.object.metadata).toEqual({ workspaceId: 'ws_r' });

    await h.emulator.idle();
    expect(h.receiver.types().slice(-4)).toEqual(['charge.refunded', 'refund.created', 'charge.refunded', 'refund.created']);
  });

  it('refuses more than what is left, a fully refunded charge, and a missing target', async () => {
    const pi = await buyCredits();
    const tooMuch = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 5000 }).catch((e: unknown) => e);
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((tooMuch as Stripe.errors.StripeError).code).toBe('amount_too_large');

    await h.stripe.refunds.create({ payment_intent: pi.id });
    await expect(h.stripe.refunds.create({ payment_intent: pi.id })).rejects.toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    await expect(h.stripe.refunds.create({})).rejects.toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    await expect(h.stripe.refunds.create({ payment_intent: 'pi_nope' })).rejects.toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'payment_intent',
    });
  });
});

describe('events API', () => {
  it('retrieves an event by id and lists them newest first, filtered by type', async () => {
    await buyCredits();
    const all = h.emulator.events();
    const last = all.at(-1)!;
    const fetched = await h.stripe.events.retrieve(last.id);
    expect(fetched.id).toBe(last.id);
    expect(fetched.type).toBe('checkout.session.completed');

    const list = await h.stripe.events.list({ limit: 2 });
    expect(list.data.map((e) => e.id)).toEqual([all.at(-1)!.id, all.at(-2)!.id]);
    expect(list.has_more).toBe(true);
    const charges = await h.stripe.events.list({ type: 'charge.*' });
    expect(charges.data.map((e) => e.type)).toEqual(['charge.succeeded']);
    await expect(h.stripe.events.retrieve('evt_nope')).rejects.toMatchObject({ statusCode: 404 });
  });
});
