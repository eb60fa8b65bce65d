import {
  createCheckout,
  getCheckout,
  getCustomer,
  getOrder,
  getStore,
  getSubscription,
  getSubscriptionInvoice,
  getVariant,
  lemonSqueezySetup,
  listVariants,
  updateSubscription,
} from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLemonSqueezyEmulator } from './index.js';
import { API_KEY, buy, ok, startHarness, STORE_ID, VARIANTS, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  lemonSqueezySetup({ apiKey: API_KEY });
  await h.close();
});

function raw(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${h.emulator.url}${path}`, {
    ...init,
    headers: { accept: 'application/vnd.api+json', authorization: `Bearer ${API_KEY}`, ...(init.headers as Record<string, string>) },
  });
}

describe('errors as the SDK reports them', () => {
  it('401 without a usable API key, with LS error body', async () => {
    lemonSqueezySetup({ apiKey: ' ' });
    const response = await getStore(STORE_ID);
    expect(response.statusCode).toBe(401);
    expect(response.error?.message).toBe('Unauthorized');
    expect(response.error?.cause).toEqual([{ detail: 'Unauthenticated.', status: '401', title: 'Unauthorized' }]);
    expect(response.data).toMatchObject({ jsonapi: { version: '1.0' } });

    const noHeader = await fetch(`${h.emulator.url}/v1/variants`);
    expect(noHeader.status).toBe(401);
    expect(noHeader.headers.get('content-type')).toContain('application/vnd.api+json');
    expect(await noHeader.json()).toMatchObject({ errors: [{ status: '401', title: 'Unauthorized' }] });
  });

  it('404 for unknown ids (and ids that are not integers) and unknown routes', async () => {
    for (const response of [
      await getSubscription(999999),
      await getSubscription('abc'),
      await getCustomer(1),
      await getOrder(1),
      await getSubscriptionInvoice(1),
      await getVariant(424242),
      await getStore(STORE_ID + 1),
      await getCheckout('00000000-0000-0000-0000-000000000000'),
    ]) {
      expect(response.statusCode).toBe(404);
      expect(response.error?.message).toBe('Not Found');
      expect(response.error?.cause).toEqual([{ detail: 'Not Found', status: '404', title: 'Not Found' }]);
    }
    expect((await raw('/v1/discounts')).status).toBe(404);
    expect((await updateSubscription(999999, { cancelled: true })).statusCode).toBe(404);
  });

  it('422 with source.pointer for a checkout the emulator cannot make', async () => {
    const unknownVariant = await createCheckout(STORE_ID, 999, {});
    expect(unknownVariant.statusCode).toBe(422);
    expect(unknownVariant.error?.message).toBe('Unprocessable Entity');
    expect(unknownVariant.error?.cause).toEqual([
      { detail: 'The variant 999 does not exist.', source: { pointer: '/data/relationships/variant/data/id' }, status: '422', title: 'Unprocessable Entity' },
    ]);

    const wrongStore = await createCheckout(1, VARIANTS.pro, {});
    expect(wrongStore.error?.cause).toEqual([expect.objectContaining({ source: { pointer: '/data/relationships/store/data/id' } })]);

    const badFields = await createCheckout(STORE_ID, VARIANTS.pro, {
      checkoutData: { email: 'not-an-email' },
      productOptions: { redirectUrl: 'not a url' },
      customPrice: 500,
    });
    expect(badFields.statusCode).toBe(422);
    const pointers = (badFields.error?.cause as { source: { pointer: string }; detail: string }[]).map((e) => e.source.pointer).sort();
    expect(pointers).toEqual(['/data/attributes/checkout_data/email', '/data/attributes/custom_price', '/data/attributes/product_options/redirect_url']);
    const customPrice = (badFields.error?.cause as { source: { pointer: string }; detail: string }[]).find((e) => e.source.pointer.endsWith('custom_price'));
    expect(customPrice?.detail).toBe('custom_price is not supported by the local Lemon Squeezy emulator.');
  });

  it('422 for a bad subscription update: unknown attribute, wrong type, id not matching the URL', async () => {
    const { subscriptionId } = await buy(h);
    const mark = h.emulator.emitted().length;
    const wrongType = await raw(`/v1/subscriptions/${subscriptionId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'subscriptions', id: subscriptionId, attributes: { cancelled: 'yes', colour: 'red' } } }),
    });
    expect(wrongType.status).toBe(422);
    const body = (await wrongType.json()) as { errors: { detail: string; source: { pointer: string } }[] };
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ source: { pointer: '/data/attributes/cancelled' }, detail: 'The cancelled member must be true or false.' }),
        expect.objectContaining({ source: { pointer: '/data/attributes/colour' } }),
      ]),
    );
    const otherId = await raw(`/v1/subscriptions/${subscriptionId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'subscriptions', id: '1', attributes: { cancelled: true } } }),
    });
    expect(otherId.status).toBe(422);
    expect(((await otherId.json()) as { errors: { source: { pointer: string } }[] }).errors[0]!.source.pointer).toBe('/data/id');
    const anchor = await updateSubscription(subscriptionId!, { billingAnchor: 1 });
    expect(anchor.statusCode).toBe(422);
    expect(h.emulator.emitted()).toHaveLength(mark);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('active');
  });

  it('415 for a body that is not JSON:API, 400 for malformed JSON or include', async () => {
    const form = await raw('/v1/checkouts', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(415);
    const broken = await raw('/v1/checkouts', { method: 'POST', headers: { 'content-type': 'application/vnd.api+json' }, body: '{"data":' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ errors: [{ status: '400', detail: 'The request body is not valid JSON.' }] });
    const include = await getVariant(VARIANTS.pro, { include: ['product'] });
    expect(include.statusCode).toBe(400);
  });
});

describe('catalog', () => {
  it('lists variants with pagination and filters, and gets one', async () => {
    const all = ok(await listVariants());
    expect(all.data.map((v) => v.id)).toEqual(['1001', '1002', '1003', '1004']);
    expect(all.meta.page).toMatchObject({ currentPage: 1, lastPage: 1, total: 4, perPage: 10 });
    const pro = all.data[1]!;
    expect(pro.attributes).toMatchObject({ price: 2900, is_subscription: true, interval: 'month', interval_count: 1, name: 'Default' });
    expect(all.data[3]!.attributes).toMatchObject({ price: 990, is_subscription: false, interval: null });

    const page2 = ok(await listVariants({ page: { number: 2, size: 3 } }));
    expect(page2.data.map((v) => v.id)).toEqual(['1004']);
    expect(page2.meta.page).toMatchObject({ currentPage: 2, lastPage: 2, from: 4, to: 4 });
    expect(page2.links.first).toContain('page%5Bnumber%5D=1');

    const byProduct = ok(await listVariants({ filter: { productId: pro.attributes.product_id } }));
    expect(byProduct.data.map((v) => v.id)).toEqual(['1002']);
    const published = ok(await listVariants({ filter: { status: 'published' } }));
    expect(published.data).toEqual([]);

    const one = ok(await getVariant(VARIANTS.pro));
    expect(one.data).toEqual(pro);
    expect(one.links.self).toBe(`${h.emulator.url}/v1/variants/1002`);
  });

  it('gets the store, with sales totals', async () => {
    await buy(h, { variantId: VARIANTS.credits });
    const store = ok(await getStore(STORE_ID));
    expect(store.data).toMatchObject({ type: 'stores', id: String(STORE_ID) });
    expect(store.data.attributes).toMatchObject({ currency: 'USD', total_sales: 1, total_revenue: 990 });
  });
});

describe('options', () => {
  it('refuses ids that are not positive integers and duplicate variants', async () => {
    const base = { storeId: 1, webhookSecret: 's', variants: [] };
    await expect(startLemonSqueezyEmulator({ ...base, storeId: 'store_1' })).rejects.toThrow('storeId must be a positive integer');
    await expect(
      startLemonSqueezyEmulator({ ...base, variants: [{ id: 'pro', productName: 'Pro', price: 1, currency: 'usd' }] }),
    ).rejects.toThrow('variant id must be a positive integer');
    await expect(
      startLemonSqueezyEmulator({
        ...base,
        variants: [
          { id: 1, productName: 'A', price: 1, currency: 'usd' },
          { id: '1', productName: 'B', price: 1, currency: 'usd' },
        ],
      }),
    ).rejects.toThrow('unique');
  });
});
