import { listSubscriptionInvoices } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buy, DAY, ok, startHarness, STORE_ID, type Harness } from './testSupport.js';

// What a reconciliation reads (a subscription's invoices) and the lost-webhook control.
let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('GET /v1/subscription-invoices', () => {
  it('lists one subscription’s invoices newest first, filtered and paged as the SDK asks', async () => {
    const mine = await buy(h, { email: 'mine@example.com' });
    await buy(h, { email: 'other@example.com' });
    await h.emulator.advanceClock(31 * DAY);
    const list = ok(await listSubscriptionInvoices({ filter: { storeId: STORE_ID, subscriptionId: mine.subscriptionId! } }));
    expect(list.data.map((i) => [i.attributes.subscription_id, i.attributes.billing_reason, i.attributes.status])).toEqual([
      [Number(mine.subscriptionId), 'renewal', 'paid'],
      [Number(mine.subscriptionId), 'initial', 'paid'],
    ]);
    expect(list.data[1]!.id).toBe(mine.invoiceId);
    const page = ok(await listSubscriptionInvoices({ filter: { subscriptionId: mine.subscriptionId! }, page: { size: 1, number: 2 } }));
    expect(page.data.map((i) => i.id)).toEqual([mine.invoiceId]);
    expect(page.meta.page).toMatchObject({ currentPage: 2, lastPage: 2, total: 2 });
    const unknown = await fetch(`${h.emulator.url}/v1/subscription-invoices?filter[customer_id]=1`, { headers: { authorization: 'Bearer key' } });
    expect(unknown.status).toBe(400);
  });
});

describe('POST /_emulator/drop-deliveries', () => {
  it('loses one customer’s webhooks, delivers the others, and lists the lost ones for a late redelivery', async () => {
    const lossy = await buy(h, { email: 'lossy@example.com' });
    await h.emulator.idle();
    const drop = (body: unknown) =>
      fetch(`${h.emulator.url}/_emulator/drop-deliveries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await drop({ drop: true, customer: lossy.customerId })).status).toBe(200);
    await h.emulator.advanceClock(31 * DAY); // the lossy customer's renewal
    await buy(h, { email: 'kept@example.com' });
    await h.emulator.idle();
    const lost = h.emulator.dropped();
    expect(lost.length).toBeGreaterThan(0);
    const bodyOf = (id: string) => JSON.stringify(h.emulator.emitted().find((w) => w.id === id)!.body);
    const received = h.receiver.accepted().map((w) => w.raw);
    expect(lost.filter((id) => received.includes(bodyOf(id)))).toEqual([]);
    expect(h.receiver.accepted().at(-1)!.eventName).toBe('subscription_updated');

    expect(await (await drop({ drop: false })).json()).toEqual({ dropping: false, dropped: lost });
    await h.emulator.redeliver(lost[0]!);
    expect(h.receiver.accepted().at(-1)!.raw).toBe(bodyOf(lost[0]!));
  });
});
