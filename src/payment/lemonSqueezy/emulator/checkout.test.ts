import { createCheckout, getCheckout, getCustomer, getOrder, getSubscription, getSubscriptionInvoice } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CheckoutPaymentError } from './index.js';
import type { LsOrderData, LsSubscriptionData, LsSubscriptionInvoiceData } from './types.js';
import { buy, ok, startHarness, STORE_ID, VARIANTS, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

async function payOnPage(url: string, form: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

describe('checkout', () => {
  it('createCheckout returns a checkout whose url is the hosted page, with what was asked for', async () => {
    const checkout = ok(
      await createCheckout(STORE_ID, VARIANTS.pro, {
        checkoutData: { email: 'owner@example.com', name: 'Olive Owner', custom: { workspace_id: 'ws_1' } },
        productOptions: { redirectUrl: 'http://app.test/billing/success' },
        checkoutOptions: { embed: false },
        expiresAt: null,
      }),
    );
    expect(checkout.data.type).toBe('checkouts');
    expect(checkout.data.id).toMatch(/^[0-9a-f-]{36}$/);
    const a = checkout.data.attributes;
    expect(a.url).toBe(`${h.emulator.url}/checkout/${checkout.data.id}`);
    expect(a.store_id).toBe(STORE_ID);
    expect(a.variant_id).toBe(VARIANTS.pro);
    expect(a.checkout_data.email).toBe('owner@example.com');
    expect(a.checkout_data.custom).toEqual({ workspace_id: 'ws_1' });
    expect(a.product_options.redirect_url).toBe('http://app.test/billing/success');
    expect(a.test_mode).toBe(true);
    expect(checkout.links.self).toBe(`${h.emulator.url}/v1/checkouts/${checkout.data.id}`);

    const again = ok(await getCheckout(checkout.data.id));
    expect(again.data).toEqual(checkout.data);
  });

  it('the SDK snake_cases the keys of custom data (camelCase keys arrive as snake_case, as with LS itself)', async () => {
    const checkout = ok(await createCheckout(STORE_ID, VARIANTS.pro, { checkoutData: { custom: { workspaceId: 'ws_9' } } }));
    expect(checkout.data.attributes.checkout_data.custom).toEqual({ workspace_id: 'ws_9' });
  });

  it('the hosted page has labelled fields with the email prefilled and a Pay button', async () => {
    const { checkout } = await buy(h);
    const html = await (await fetch(checkout.data.attributes.url)).text();
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toMatch(/<input id="email" name="email" type="email"[^>]*value="owner@example.com"/);
    expect(html).toContain('<label for="cardNumber">Card number</label>');
    expect(html).toContain('<label for="expiry">Expiration date (MM / YY)</label>');
    expect(html).toContain('<label for="cvc">Security code (CVC)</label>');
    expect(html).toContain('>Pay</button>');
    expect(html).toContain('$29.00 / month');
  });

  it('paying a subscription variant on the page: customer, order, subscription, first invoice, webhooks in order, 303 to redirect_url', async () => {
    const checkout = ok(
      await createCheckout(STORE_ID, VARIANTS.pro, {
        checkoutData: { email: 'owner@example.com', custom: { workspace_id: 'ws_1', plan_id: 'pro' } },
        productOptions: { redirectUrl: 'http://app.test/billing/success' },
      }),
    );
    const response = await payOnPage(checkout.data.attributes.url, {
      email: 'owner@example.com',
      cardNumber: '4242 4242 4242 4242',
      expiry: '12 / 40',
      cvc: '123',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('http://app.test/billing/success');

    await h.emulator.idle();
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.names()).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
    for (const webhook of h.receiver.accepted()) {
      expect(webhook.body.meta).toMatchObject({ custom_data: { workspace_id: 'ws_1', plan_id: 'pro' }, test_mode: true });
      expect(webhook.body.meta.webhook_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(webhook.contentType).toBe('application/json');
    }
    const [orderHook, subHook, invoiceHook] = h.receiver.accepted();
    const order = orderHook!.body.data as LsOrderData;
    const sub = subHook!.body.data as LsSubscriptionData;
    const invoice = invoiceHook!.body.data as LsSubscriptionInvoiceData;

    expect(order.type).toBe('orders');
    expect(order.attributes).toMatchObject({ status: 'paid', total: 2900, currency: 'USD', user_email: 'owner@example.com', store_id: STORE_ID, payment_processor: 'stripe' });
    expect(invoice.attributes.payment_processor).toBe('stripe');
    // The subscription_updated that follows subscription_created shows the same subscription.
    expect((h.receiver.accepted()[3]!.body.data as LsSubscriptionData).id).toBe(sub.id);
    expect(order.attributes.first_order_item).toMatchObject({ variant_id: VARIANTS.pro, product_name: 'Pro', price: 2900 });

    expect(sub.type).toBe('subscriptions');
    expect(sub.attributes).toMatchObject({
      status: 'active',
      variant_id: VARIANTS.pro,
      customer_id: order.attributes.customer_id,
      order_id: Number(order.id),
      cancelled: false,
      ends_at: null,
      card_brand: 'visa',
      card_last_four: '4242',
      payment_processor: 'stripe',
    });
    const created = Date.parse(sub.attributes.created_at);
    const renews = new Date(sub.attributes.renews_at);
    const expected = new Date(created);
    expected.setUTCMonth(expected.getUTCMonth() + 1);
    expect(Math.abs(renews.getTime() - expected.getTime())).toBeLessThan(4 * 24 * 3600 * 1000);
    expect(renews.getTime()).toBeGreaterThan(created + 27 * 24 * 3600 * 1000);

    expect(invoice.type).toBe('subscription-invoices');
    expect(invoice.attributes).toMatchObject({ billing_reason: 'initial', status: 'paid', total: 2900, subscription_id: Number(sub.id) });

    // The API shows the same objects.
    const customer = ok(await getCustomer(order.attributes.customer_id));
    expect(customer.data.attributes.email).toBe('owner@example.com');
    expect(ok(await getOrder(order.id)).data.attributes.status).toBe('paid');
    expect(ok(await getSubscription(sub.id)).data.attributes.status).toBe('active');
    expect(ok(await getSubscriptionInvoice(invoice.id)).data.attributes.total).toBe(2900);
  });

  it('a one-time variant makes an order only; the checkout is reusable and one email is one customer', async () => {
    const first = await buy(h, { variantId: VARIANTS.credits, custom: { workspace_id: 'ws_1' } });
    const second = await buy(h, { variantId: VARIANTS.credits, custom: { workspace_id: 'ws_2' } });
    await h.emulator.idle();
    expect(h.receiver.names()).toEqual(['order_created', 'order_created']);
    expect(first.subscriptionId).toBeNull();
    expect(second.orderId).not.toBe(first.orderId);
    expect(second.customerId).toBe(first.customerId);
    const [a, b] = h.receiver.accepted();
    expect(a!.body.meta.custom_data).toEqual({ workspace_id: 'ws_1' });
    expect(b!.body.meta.custom_data).toEqual({ workspace_id: 'ws_2' });
    expect((b!.body.data as LsOrderData).attributes.order_number).toBe((a!.body.data as LsOrderData).attributes.order_number + 1);

    // Paying the first checkout again is another order.
    await h.emulator.completeCheckout(first.checkout.data.id);
    expect(h.emulator.emitted().filter((e) => e.eventName === 'order_created')).toHaveLength(3);
    // A customer without a subscription has no portal, as in LS.
    expect(ok(await getCustomer(first.customerId)).data.attributes.urls.customer_portal).toBeNull();
  });

  it('no custom data: meta has no custom_data', async () => {
    const checkout = ok(await createCheckout(STORE_ID, VARIANTS.credits, { checkoutData: { email: 'a@example.com' } }));
    await h.emulator.completeCheckout(checkout.data.id);
    await h.emulator.idle();
    const [webhook] = h.receiver.accepted();
    expect(webhook!.body.meta).not.toHaveProperty('custom_data');
    expect(checkout.data.attributes.checkout_data.custom).toEqual([]);
  });

  it('a declined card: the page says so, nothing changes, no webhooks', async () => {
    const checkout = ok(await createCheckout(STORE_ID, VARIANTS.pro, { checkoutData: { email: 'owner@example.com', custom: { workspace_id: 'ws_1' } } }));
    const response = await payOnPage(checkout.data.attributes.url, { email: 'owner@example.com', cardNumber: '4000 0000 0000 0002', expiry: '12 / 40', cvc: '123' });
    expect(response.status).toBe(402);
    const html = await response.text();
    expect(html).toContain('role="alert">Your card was declined.</p>');
    expect(html).toMatch(/id="cardNumber"[^>]*aria-invalid="true"/);

    await expect(h.emulator.completeCheckout(checkout.data.id, '4000000000000002')).rejects.toThrow(CheckoutPaymentError);
    await expect(h.emulator.completeCheckout(checkout.data.id, '4000000000000002')).rejects.toThrow('Your card was declined.');
    await h.emulator.idle();
    expect(h.emulator.emitted()).toEqual([]);
    expect(h.receiver.received).toEqual([]);
  });

  it('an invalid card number or expiry is refused with a 400 and changes nothing', async () => {
    const { checkout } = await buy(h, { variantId: VARIANTS.credits });
    const before = h.emulator.emitted().length;
    const bad = await payOnPage(checkout.data.attributes.url, { email: 'x@example.com', cardNumber: '1234 5678', expiry: '12 / 40', cvc: '123' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('The card number is invalid.');
    const expired = await payOnPage(checkout.data.attributes.url, { email: 'x@example.com', cardNumber: '4242424242424242', expiry: '01 / 20', cvc: '123' });
    expect(expired.status).toBe(400);
    expect(h.emulator.emitted()).toHaveLength(before);
  });

  it('without redirect_url the payment lands on the emulator confirmation page (the order receipt)', async () => {
    const checkout = ok(await createCheckout(STORE_ID, VARIANTS.credits, { checkoutData: { email: 'a@example.com' } }));
    const { redirectUrl } = await h.emulator.completeCheckout(checkout.data.id);
    const orderHook = h.emulator.emitted()[0]!;
    expect(redirectUrl).toBe(`${h.emulator.url}/checkout/${checkout.data.id}/orders/${orderHook.body.data.id}`);
    expect((orderHook.body.data as LsOrderData).attributes.urls.receipt).toBe(redirectUrl);
    const html = await (await fetch(redirectUrl)).text();
    expect(html).toContain('Thanks for your order!');
    expect(html).toContain('$9.90');
  });

  it('an expired checkout cannot be paid', async () => {
    const expiresAt = new Date(h.emulator.now().getTime() + 3600_000).toISOString();
    const checkout = ok(await createCheckout(STORE_ID, VARIANTS.credits, { checkoutData: { email: 'a@example.com' }, expiresAt }));
    await h.emulator.advanceClock(2 * 3600);
    expect((await fetch(checkout.data.attributes.url)).status).toBe(410);
    await expect(h.emulator.completeCheckout(checkout.data.id)).rejects.toThrow('This checkout has expired.');
    expect(h.emulator.emitted()).toEqual([]);
  });
});
