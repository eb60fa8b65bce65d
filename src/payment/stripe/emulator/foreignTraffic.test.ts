import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, subscribe, TEST_PRICES, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const control = (body: unknown) => fetch(`${h.emulator.url}/_emulator/foreign-traffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * A customer of ours subscribed (through testSupport's `subscribe`); `checkoutTypes` are the
 * events that checkout sent after `customer.created`, what any subscription checkout of a customer sends.
 */
async function withOurCustomer() {
  const ours = await subscribe(h);
  await h.emulator.idle();
  const checkoutTypes = h.receiver.types().filter((type) => type !== 'customer.created');
  expect(checkoutTypes).toEqual(expect.arrayContaining(['customer.subscription.created', 'invoice.paid', 'checkout.session.completed']));
  return { ours, checkoutTypes, mark: h.receiver.accepted().length };
}

/** The events sent since `mark`, once delivered (all verified by the receiver). */
async function sentSince(mark: number): Promise<Stripe.Event[]> {
  await h.emulator.idle();
  expect(h.receiver.rejected).toEqual([]);
  return h.receiver.accepted().slice(mark).map((d) => d.event);
}

function objectOf<T>(events: Stripe.Event[], type: string): T {
  const event = events.find((e) => e.type === type);
  if (!event) throw new Error(`no ${type} among ${events.map((e) => e.type).join(', ')}`);
  return event.data.object as T;
}

/** Every metadata on the way is empty: nothing names a workspace. */
function expectNoMetadata(events: Stripe.Event[]) {
  for (const event of events) {
    const object = event.data.object as { metadata?: Stripe.Metadata };
    expect({ type: event.type, metadata: object.metadata ?? {} }).toEqual({ type: event.type, metadata: {} });
  }
}

describe('POST /_emulator/foreign-traffic', () => {
  it("other-product: the newest customer pays a Payment Link of another product of the account, through the emulator's Checkout", async () => {
    const { ours, checkoutTypes, mark } = await withOurCustomer();
    expect((await control({ kind: 'other-product' })).status).toBe(200);
    const sent = await sentSince(mark);
    expect(sent.map((e) => e.type)).toEqual(checkoutTypes);
    expectNoMetadata(sent);

    const session = objectOf<Stripe.Checkout.Session>(sent, 'checkout.session.completed');
    expect(session).toMatchObject({ customer: ours.customer.id, client_reference_id: null, metadata: {}, payment_link: expect.stringMatching(/^plink_/), status: 'complete' });
    const subscription = await h.stripe.subscriptions.retrieve(String(session.subscription), { expand: ['items.data.price.product'] });
    const price = subscription.items.data[0]!.price;
    expect(subscription).toMatchObject({ customer: ours.customer.id, metadata: {}, status: 'active' });
    expect(price.id).not.toBeOneOf(TEST_PRICES.map((p) => p.id));
    expect(price).toMatchObject({ type: 'recurring', unit_amount: 4900, product: { name: "Another app's plan" } });
    expect(await h.stripe.invoices.retrieve(String(session.invoice))).toMatchObject({ status: 'paid', customer: ours.customer.id, amount_paid: 4900 });
    expect((await h.stripe.checkout.sessions.retrieve(session.id)).client_reference_id).toBeNull();
  });

  it('other-product for a named customer; the second time it is the same price, no new product', async () => {
    const first = await subscribe(h, { workspaceId: 'ws_first' });
    await subscribe(h, { workspaceId: 'ws_second' });
    await h.emulator.idle();
    const mark = h.receiver.accepted().length;

    await h.emulator.sendForeignTraffic({ kind: 'other-product', customerId: first.customer.id });
    await h.emulator.sendForeignTraffic({ kind: 'other-product', customerId: first.customer.id });
    const sessions = (await sentSince(mark)).filter((e) => e.type === 'checkout.session.completed').map((e) => e.data.object as Stripe.Checkout.Session);
    expect(sessions.map((s) => s.customer)).toEqual([first.customer.id, first.customer.id]);
    const prices = await Promise.all(sessions.map(async (s) => (await h.stripe.subscriptions.retrieve(String(s.subscription))).items.data[0]!.price.id));
    expect(new Set(prices).size).toBe(1);
    expect((await h.stripe.prices.list({ limit: 100 })).data.map((p) => p.id).sort()).toEqual([...TEST_PRICES.map((p) => p.id), prices[0]!].sort());

    expect((await control({ kind: 'other-product', customerId: 'cus_nobody' })).status).toBe(404);
  });

  it('other-customer: a new customer, with no metadata, buys the other product', async () => {
    const { ours, checkoutTypes, mark } = await withOurCustomer();
    expect((await control({ kind: 'other-customer' })).status).toBe(200);
    const sent = await sentSince(mark);
    expect(sent.map((e) => e.type)).toEqual(['customer.created', ...checkoutTypes]);
    expectNoMetadata(sent);
    const customer = objectOf<Stripe.Customer>(sent, 'customer.created');
    expect(customer.id).not.toBe(ours.customer.id);
    expect(await h.stripe.customers.retrieve(customer.id)).toMatchObject({ metadata: {}, email: expect.stringMatching(/^someone-else-/) });
    const subscription = objectOf<Stripe.Subscription>(sent, 'customer.subscription.created');
    expect(await h.stripe.subscriptions.retrieve(subscription.id)).toMatchObject({ customer: customer.id, status: 'active' });
  });

  it('unknown-event: customer.tax_id.created, a type the emulator sends at no other time; a bad kind is a 400', async () => {
    const { ours, mark } = await withOurCustomer();
    expect((await control({ kind: 'unknown-event' })).status).toBe(200);
    const sent = await sentSince(mark);
    expect(sent.map((e) => e.type)).toEqual(['customer.tax_id.created']);
    expect(await h.stripe.events.retrieve(sent[0]!.id)).toMatchObject({
      data: { object: { object: 'tax_id', customer: ours.customer.id, owner: { type: 'customer', customer: ours.customer.id }, type: 'eu_vat' } },
    });

    const bad = await control({ kind: 'everything' });
    expect(bad.status).toBe(400);
    expect(h.emulator.events()).toHaveLength(mark + sent.length);
  });

  it('bare-charge-refund: a Dashboard payment with no customer, refunded in full', async () => {
    const { mark } = await withOurCustomer();
    expect((await control({ kind: 'bare-charge-refund' })).status).toBe(200);
    const sent = await sentSince(mark);
    expect(sent.map((e) => e.type)).toEqual(['payment_intent.succeeded', 'charge.succeeded', 'charge.refunded', 'refund.created']);
    expectNoMetadata(sent);
    const charge = await h.stripe.charges.retrieve(objectOf<Stripe.Charge>(sent, 'charge.refunded').id, { expand: ['payment_intent'] });
    expect(charge).toMatchObject({ customer: null, refunded: true, amount_refunded: charge.amount, status: 'succeeded', payment_intent: { customer: null, status: 'succeeded' } });
  });

  it('needs a customer for other-product and unknown-event (404), not for other-customer', async () => {
    expect((await control({ kind: 'other-product' })).status).toBe(404);
    expect((await control({ kind: 'unknown-event' })).status).toBe(404);
    expect(h.emulator.events()).toEqual([]);
    expect((await control({ kind: 'other-customer' })).status).toBe(200);
  });
});
