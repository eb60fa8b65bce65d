import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFor, startHarness, type Harness } from './testSupport.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('customers', () => {
  it('creates, retrieves and updates a customer, with customer.created and customer.updated', async () => {
    const created = await h.stripe.customers.create({ email: 'a@example.com', name: 'Ada', metadata: { workspaceId: 'ws_42' } });
    expect(created.id).toMatch(/^cus_/);
    expect(created.object).toBe('customer');
    expect(created.metadata).toEqual({ workspaceId: 'ws_42' });

    const fetched = await h.stripe.customers.retrieve(created.id);
    expect(fetched.deleted).toBeUndefined();
    expect((fetched as Stripe.Customer).email).toBe('a@example.com');

    const updated = await h.stripe.customers.update(created.id, { email: 'b@example.com', metadata: { plan: 'pro' } });
    expect(updated.email).toBe('b@example.com');
    expect(updated.metadata).toEqual({ workspaceId: 'ws_42', plan: 'pro' });

    const unset = await h.stripe.customers.update(created.id, { metadata: { plan: '' } });
    expect(unset.metadata).toEqual({ workspaceId: 'ws_42' });

    const events = h.emulator.events().filter((e) => (e.data.object as { id?: string }).id === created.id);
    expect(events.map((e) => e.type)).toEqual(['customer.created', 'customer.updated', 'customer.updated']);
    const firstUpdate = events[1] as Stripe.CustomerUpdatedEvent;
    expect(firstUpdate.data.previous_attributes).toEqual({ email: 'a@example.com', metadata: { plan: null } });
    expect(firstUpdate.request?.id).toMatch(/^req_/);
  });

  it('answers an unknown id with 404 resource_missing (StripeInvalidRequestError)', async () => {
    const error = await h.stripe.customers.retrieve('cus_missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    const e = error as Stripe.errors.StripeInvalidRequestError;
    expect(e.statusCode).toBe(404);
    expect(e.code).toBe('resource_missing');
    expect(e.param).toBe('id');
    expect(e.message).toBe("No such customer: 'cus_missing'");
  });

  it('rejects a missing or wrong API key with 401 (StripeAuthenticationError)', async () => {
    const wrong = sdkFor(h.emulator, 'pk_live_nope');
    await expect(wrong.customers.create({ email: 'x@example.com' })).rejects.toBeInstanceOf(Stripe.errors.StripeAuthenticationError);

    const response = await fetch(`${h.emulator.url}/v1/customers`, { method: 'POST' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/did not provide an API key/);
  });

  it('rejects bad parameters with 400 and the param named', async () => {
    const badEmail = await h.stripe.customers.create({ email: 'not-an-email' }).catch((e: unknown) => e);
    expect(badEmail).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((badEmail as Stripe.errors.StripeError).code).toBe('email_invalid');
    expect((badEmail as Stripe.errors.StripeError).statusCode).toBe(400);

    const unknown = await h.stripe.customers
      .create({ email: 'a@example.com', favourite_colour: 'red' } as Stripe.CustomerCreateParams)
      .catch((e: unknown) => e);
    expect((unknown as Stripe.errors.StripeError).code).toBe('parameter_unknown');
    expect((unknown as Stripe.errors.StripeError).param).toBe('favourite_colour');
  });

  it('answers an unknown URL with 404 in Stripe error shape', async () => {
    const response = await fetch(`${h.emulator.url}/v1/coupons`, { headers: { authorization: 'Bearer sk_test_x' } });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/Unrecognized request URL \(GET: \/v1\/coupons\)/);
  });
});

describe('idempotency', () => {
  it('replays the same response for the same key and body', async () => {
    const first = await h.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    const again = await h.stripe.customers.create({ email: 'idem@example.com' }, { idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    expect(again.lastResponse.headers['idempotent-replayed']).toBe('true');
    const created = h.emulator.events().filter((e) => e.type === 'customer.created' && (e.data.object as Stripe.Customer).email === 'idem@example.com');
    expect(created).toHaveLength(1);
    expect(created[0]!.request).toEqual({ id: first.lastResponse.requestId, idempotency_key: 'key-1' });
  });

  it('refuses the same key with a different body (400 idempotency_error)', async () => {
    await h.stripe.customers.create({ email: 'one@example.com' }, { idempotencyKey: 'key-2' });
    const error = await h.stripe.customers.create({ email: 'two@example.com' }, { idempotencyKey: 'key-2' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(400);
    expect((error as Stripe.errors.StripeError).code).toBe('idempotency_key_in_use');
  });

  it('does not save a failed validation, so the key can be retried with fixed params', async () => {
    await expect(h.stripe.customers.create({ email: 'bad' }, { idempotencyKey: 'key-3' })).rejects.toThrow();
    const ok = await h.stripe.customers.create({ email: 'good@example.com' }, { idempotencyKey: 'key-3' });
    expect(ok.email).toBe('good@example.com');
  });
});

describe('prices', () => {
  it('seeds one product and price per plan', async () => {
    const list = await h.stripe.prices.list({ limit: 100 });
    expect(list.data.map((p) => p.id).sort()).toEqual(['price_credits10', 'price_hobby', 'price_pro', 'price_pro_yearly']);
    const pro = await h.stripe.prices.retrieve('price_pro', { expand: ['product'] });
    expect(pro.unit_amount).toBe(2900);
    expect(pro.currency).toBe('usd');
    expect(pro.recurring?.interval).toBe('month');
    expect(pro.type).toBe('recurring');
    expect((pro.product as Stripe.Product).name).toBe('Pro');
    expect(String(pro.unit_amount_decimal)).toBe('2900');

    const credits = await h.stripe.prices.retrieve('price_credits10');
    expect(credits.recurring).toBeNull();
    expect(credits.type).toBe('one_time');

    const recurring = await h.stripe.prices.list({ type: 'recurring' });
    expect(recurring.data.every((p) => p.recurring !== null)).toBe(true);
    expect(recurring.data).toHaveLength(3);
  });

  it('pages with limit and starting_after', async () => {
    const page1 = await h.stripe.prices.list({ limit: 2 });
    expect(page1.has_more).toBe(true);
    const page2 = await h.stripe.prices.list({ limit: 2, starting_after: page1.data[1]!.id });
    expect(page2.has_more).toBe(false);
    expect(new Set([...page1.data, ...page2.data].map((p) => p.id)).size).toBe(4);
  });

  it('answers 404 for an unknown price', async () => {
    await expect(h.stripe.prices.retrieve('price_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('checkout session validation', () => {
  it('requires mode', async () => {
    const error = await h.stripe.checkout.sessions
      .create({ line_items: [{ price: 'price_pro', quantity: 1 }], success_url: 'http://app.test/ok' } as Stripe.Checkout.SessionCreateParams)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect((error as Stripe.errors.StripeError).code).toBe('parameter_missing');
    expect((error as Stripe.errors.StripeError).param).toBe('mode');
  });

  it('refuses a recurring price in payment mode and a one-time price in subscription mode', async () => {
    await expect(
      h.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_pro', quantity: 1 }], success_url: 'http://app.test/ok' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][price]' });
    await expect(
      h.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_credits10', quantity: 1 }], success_url: 'http://app.test/ok' }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'line_items[0][price]' });
  });

  it('names an unknown price or customer as a 400 resource_missing on that param', async () => {
    await expect(
      h.stripe.checkout.sessions.create({ mode: 'subscription', line_items: [{ price: 'price_nope', quantity: 1 }], success_url: 'http://app.test/ok' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'line_items[0][price]' });
    await expect(
      h.stripe.checkout.sessions.create({ mode: 'subscription', customer: 'cus_nope', line_items: [{ price: 'price_pro', quantity: 1 }], success_url: 'http://app.test/ok' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'customer' });
  });

  it('refuses subscription_data in payment mode and a missing quantity', async () => {
    await expect(
      h.stripe.checkout.sessions.create({
        mode: 'payment',
        line_items: [{ price: 'price_credits10', quantity: 1 }],
        subscription_data: { metadata: { a: 'b' } },
        success_url: 'http://app.test/ok',
      }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'subscription_data' });
    await expect(
      h.stripe.checkout.sessions.create({ mode: 'payment', line_items: [{ price: 'price_credits10' }], success_url: 'http://app.test/ok' }),
    ).rejects.toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'line_items[0][quantity]' });
  });

  it('creates an open session whose url is the hosted page, and retrieves it with expand tolerated', async () => {
    const session = await h.stripe.checkout.sessions.create({
      mode: 'subscription',
      customer_email: 'new@example.com',
      line_items: [{ price: 'price_hobby', quantity: 1 }],
      allow_promotion_codes: true,
      automatic_tax: { enabled: true },
      success_url: 'http://app.test/ok?session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://app.test/cancel',
    });
    expect(session.id).toMatch(/^cs_test_/);
    expect(session.status).toBe('open');
    expect(session.payment_status).toBe('unpaid');
    expect(session.url).toBe(`${h.emulator.url}/checkout/${session.id}`);
    expect(session.amount_total).toBe(900);
    expect(session.allow_promotion_codes).toBe(true);
    expect(session.automatic_tax.enabled).toBe(true);

    const fetched = await h.stripe.checkout.sessions.retrieve(session.id, { expand: ['line_items', 'subscription'] });
    expect(fetched.line_items?.data[0]?.price?.id).toBe('price_hobby');
    expect(fetched.subscription).toBeNull();
  });
});
