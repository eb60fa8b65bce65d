import { getOrder, getSubscriptionInvoice, issueOrderRefund, issueSubscriptionInvoiceRefund } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LsOrderData, LsSubscriptionInvoiceData } from './types.js';
import { API_KEY, buy, ok, startHarness, VARIANTS, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function refundWithoutAmount(path: string): Promise<Response> {
  return fetch(`${h.emulator.url}${path}`, {
    method: 'POST',
    headers: { accept: 'application/vnd.api+json', authorization: `Bearer ${API_KEY}` },
  });
}

describe('refunds', () => {
  it('order refunds add up: partial_refund, then refunded; each sends order_refunded with the custom data', async () => {
    const { orderId } = await buy(h, { variantId: VARIANTS.credits, custom: { workspace_id: 'ws_7' } });
    const mark = h.emulator.emitted().length;

    const first = ok(await issueOrderRefund(orderId, 300));
    expect(first.data.attributes).toMatchObject({ status: 'partial_refund', refunded_amount: 300, refunded: true, total: 990 });
    const second = ok(await issueOrderRefund(orderId, 200));
    expect(second.data.attributes).toMatchObject({ status: 'partial_refund', refunded_amount: 500 });

    // Too much: 422 pointing at the amount, nothing changes.
    const tooMuch = await issueOrderRefund(orderId, 491);
    expect(tooMuch.statusCode).toBe(422);
    expect(tooMuch.error?.cause).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/amount' } })]);
    expect(ok(await getOrder(orderId)).data.attributes.refunded_amount).toBe(500);

    // No amount: what is left.
    const rest = await refundWithoutAmount(`/v1/orders/${orderId}/refund`);
    expect(rest.status).toBe(200);
    const restBody = (await rest.json()) as { data: LsOrderData };
    expect(restBody.data.attributes).toMatchObject({ status: 'refunded', refunded_amount: 990, status_formatted: 'Refunded' });

    const again = await issueOrderRefund(orderId, 1);
    expect(again.statusCode).toBe(422);

    const events = h.emulator.emitted().slice(mark);
    expect(events.map((e) => e.eventName)).toEqual(['order_refunded', 'order_refunded', 'order_refunded']);
    expect(events.map((e) => (e.body.data as LsOrderData).attributes.refunded_amount)).toEqual([300, 500, 990]);
    for (const event of events) expect(event.body.meta.custom_data).toEqual({ workspace_id: 'ws_7' });
    await h.emulator.idle();
    expect(h.receiver.names().filter((n) => n === 'order_refunded')).toHaveLength(3);
  });

  it('subscription invoice refunds add up and send subscription_payment_refunded', async () => {
    const { invoiceId } = await buy(h, { variantId: VARIANTS.pro });
    const mark = h.emulator.emitted().length;
    const partial = ok(await issueSubscriptionInvoiceRefund(invoiceId!, 900));
    expect(partial.data.attributes).toMatchObject({ status: 'partial_refund', refunded_amount: 900, refunded: true });
    const full = ok(await issueSubscriptionInvoiceRefund(invoiceId!, 2000));
    expect(full.data.attributes).toMatchObject({ status: 'refunded', refunded_amount: 2900, status_formatted: 'Refunded' });
    expect(ok(await getSubscriptionInvoice(invoiceId!)).data.attributes.refunded_amount).toBe(2900);

    const events = h.emulator.emitted().slice(mark);
    expect(events.map((e) => e.eventName)).toEqual(['subscription_payment_refunded', 'subscription_payment_refunded']);
    expect(events.map((e) => (e.body.data as LsSubscriptionInvoiceData).attributes.refunded_amount)).toEqual([900, 2900]);
    expect(events[0]!.body.data.id).toBe(invoiceId);
    expect(events[0]!.body.meta.custom_data).toEqual({ workspace_id: 'ws_1', plan_id: 'pro' });
  });

  it('a refund of an unknown order is a 404; a wrong document type is a 422', async () => {
    const missing = await issueOrderRefund(999999, 100);
    expect(missing.statusCode).toBe(404);
    const { orderId } = await buy(h, { variantId: VARIANTS.credits });
    const wrongType = await fetch(`${h.emulator.url}/v1/orders/${orderId}/refund`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/vnd.api+json' },
      body: JSON.stringify({ data: { type: 'subscriptions', id: orderId, attributes: { amount: 100 } } }),
    });
    expect(wrongType.status).toBe(422);
    const body = (await wrongType.json()) as { errors: { source: { pointer: string } }[] };
    expect(body.errors[0]!.source.pointer).toBe('/data/type');
    expect(ok(await getOrder(orderId)).data.attributes.refunded_amount).toBe(0);
  });
});
