import { afterEach, describe, expect, it } from 'vitest';
import { DAY, startHarness, subscribe, type Harness } from './testSupport.js';

// What a reconciliation reads (lists by customer, the processor's clock) and the lost-webhook control.
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function buyCredits(harness: Harness, workspaceId: string) {
  const customer = await harness.stripe.customers.create({ email: `${workspaceId}@example.com`, metadata: { workspaceId } });
  const session = await harness.stripe.checkout.sessions.create({
    mode: 'payment',
    customer: customer.id,
    line_items: [{ price: 'price_credits10', quantity: 1 }],
    metadata: { workspaceId, planId: 'credits10' },
    payment_intent_data: { metadata: { workspaceId, planId: 'credits10' } },
    success_url: 'http://app.test/ok',
  });
  await harness.emulator.completeCheckout(session.id);
  return { customer, session: await harness.stripe.checkout.sessions.retrieve(session.id) };
}

describe('lists by customer', () => {
  it('lists a customer’s checkout sessions and charges, newest first, not another customer’s', async () => {
    h = await startHarness();
    const first = await buyCredits(h, 'ws_a');
    await buyCredits(h, 'ws_b');
    const sessions = await h.stripe.checkout.sessions.list({ customer: first.customer.id });
    expect(sessions.data.map((s) => [s.id, s.status, s.payment_status])).toEqual([[first.session.id, 'complete', 'paid']]);
    const charges = await h.stripe.charges.list({ customer: first.customer.id });
    expect(charges.data).toMatchObject([{ payment_intent: first.session.payment_intent, paid: true, amount_refunded: 0, metadata: { planId: 'credits10' } }]);
    await h.stripe.refunds.create({ payment_intent: String(first.session.payment_intent), amount: 100 });
    const [refunded] = (await h.stripe.charges.list({ customer: first.customer.id, limit: 1 })).data;
    expect(refunded).toMatchObject({ amount_refunded: 100 });
    expect(await h.stripe.charges.retrieve(refunded!.id)).toMatchObject({ id: refunded!.id, amount_refunded: 100 });
    await expect(h.stripe.charges.list({ customer: first.customer.id, colour: 'red' } as never)).rejects.toMatchObject({ statusCode: 400 });
  });

  it('answers with the emulator clock in Date, as Stripe answers with its own', async () => {
    h = await startHarness();
    await h.emulator.advanceClock(40 * DAY);
    const list = await h.stripe.charges.list();
    const date = new Date(list.lastResponse.headers['date']!).getTime();
    expect(Math.abs(date - h.emulator.now().getTime())).toBeLessThan(2_000);
  });
});

describe('POST /_emulator/drop-deliveries', () => {
  const control = (harness: Harness, body: unknown) =>
    fetch(`${harness.emulator.url}/_emulator/drop-deliveries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('loses one customer’s events until told to stop; the others arrive; a redelivery brings a lost one late', async () => {
    h = await startHarness();
    const lossy = await subscribe(h, { workspaceId: 'ws_lossy' });
    await h.emulator.idle();
    const res = await control(h, { drop: true, customer: lossy.customer.id });
    expect(await res.json()).toEqual({ dropping: true, dropped: [] });
    await h.stripe.subscriptions.update(lossy.subscription.id, { cancel_at_period_end: true });
    const kept = await h.stripe.customers.create({ email: 'kept@example.com' });
    await h.emulator.idle();
    const lost = h.emulator.events().filter((e) => e.type === 'customer.subscription.updated');
    expect(h.emulator.dropped()).toEqual(lost.map((e) => e.id));
    expect(h.receiver.accepted().map((d) => d.event.id)).not.toContain(lost[0]!.id);
    expect(h.receiver.accepted().at(-1)!.event.data.object).toMatchObject({ id: kept.id });

    expect(await (await control(h, { drop: false })).json()).toEqual({ dropping: false, dropped: [lost[0]!.id] });
    await h.emulator.redeliver(lost[0]!.id);
    expect(h.receiver.accepted().at(-1)!.event.id).toBe(lost[0]!.id);
    expect((await control(h, { drop: 'yes' })).status).toBe(400);
  });
});
