import { cancelSubscription, getCustomer, getSubscription, getSubscriptionInvoice, updateSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmittedWebhook, LsSubscriptionData, LsSubscriptionInvoiceData } from './types.js';
import { buy, DAY, ok, secondsUntil, startHarness, VARIANTS, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function since(mark: number): EmittedWebhook[] {
  return h.emulator.emitted().slice(mark);
}

function names(list: EmittedWebhook[]): string[] {
  return list.map((e) => e.eventName);
}

function subOf(webhook: EmittedWebhook): LsSubscriptionData {
  return webhook.body.data as LsSubscriptionData;
}

function invoiceOf(webhook: EmittedWebhook): LsSubscriptionInvoiceData {
  return webhook.body.data as LsSubscriptionInvoiceData;
}

async function portalPost(portalUrl: string, path: string, form: Record<string, string> = {}): Promise<Response> {
  const url = new URL(portalUrl);
  return fetch(`${url.origin}${url.pathname}${path}${url.search}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

describe('customer portal URL', () => {
  it('is signed, valid 24 h of emulator clock, and refused (403) when tampered with or expired', async () => {
    const { customerId, subscriptionId } = await buy(h);
    const customer = ok(await getCustomer(customerId));
    const url = customer.data.attributes.urls.customer_portal!;
    expect(url).toMatch(new RegExp(`^${h.emulator.url}/portal/${customerId}\\?expires=(\\d+)&signature=[0-9a-f]{64}$`));
    const expires = Number(new URL(url).searchParams.get('expires'));
    const left = expires - Math.floor(h.emulator.now().getTime() / 1000);
    expect(left).toBeGreaterThan(DAY - 3);
    expect(left).toBeLessThanOrEqual(DAY);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`id="subscription-${subscriptionId}"`);
    expect(html).toContain('>Cancel</button>');
    expect(html).toContain('>Pause</button>');
    expect(html).toContain('>Update payment method</button>');

    const tampered = new URL(url);
    tampered.searchParams.set('expires', String(expires + 3600));
    expect((await fetch(tampered)).status).toBe(403);
    const otherCustomer = url.replace(`/portal/${customerId}?`, `/portal/${Number(customerId) + 1}?`);
    expect([403, 404]).toContain((await fetch(otherCustomer)).status);

    await h.emulator.advanceClock(DAY - 60);
    expect((await fetch(url)).status).toBe(200);
    await h.emulator.advanceClock(120);
    const expired = await fetch(url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('This link has expired.');
    // Posting with the expired link changes nothing.
    const mark = h.emulator.emitted().length;
    expect((await portalPost(url, `/subscriptions/${subscriptionId}`, { action: 'cancel' })).status).toBe(403);
    expect(h.emulator.emitted()).toHaveLength(mark);

    // A fresh read gives a fresh link; the subscription's urls are signed the same way.
    const fresh = ok(await getCustomer(customerId)).data.attributes.urls.customer_portal!;
    expect(fresh).not.toBe(url);
    expect((await fetch(fresh)).status).toBe(200);
    const subUrls = ok(await getSubscription(subscriptionId!)).data.attributes.urls;
    expect((await fetch(subUrls.customer_portal)).status).toBe(200);
    expect(subUrls.update_payment_method).toContain('/portal/');
  });
});

describe('cancel and resume', () => {
  it('cancel (SDK updateSubscription cancelled: true) → grace period until ends_at, then expired at ends_at', async () => {
    const { subscriptionId } = await buy(h);
    const mark = h.emulator.emitted().length;
    const updated = ok(await updateSubscription(subscriptionId!, { cancelled: true }));
    const renewsAt = updated.data.attributes.renews_at;
    expect(updated.data.attributes).toMatchObject({ status: 'cancelled', cancelled: true, ends_at: renewsAt });

    const events = since(mark);
    expect(names(events)).toEqual(['subscription_cancelled', 'subscription_updated']);
    expect(subOf(events[0]!).attributes.status).toBe('cancelled');
    expect(events[0]!.body.meta.custom_data).toEqual({ workspace_id: 'ws_1', plan_id: 'pro' });

    // Still cancelled (in its grace period) a day before ends_at, and no renewal is charged.
    const beforeEnd = h.emulator.emitted().length;
    await h.emulator.advanceClock(secondsUntil(h, renewsAt) - DAY);
    expect(h.emulator.emitted()).toHaveLength(beforeEnd);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('cancelled');

    await h.emulator.advanceClock(2 * DAY);
    const end = since(beforeEnd);
    expect(names(end)).toEqual(['subscription_expired', 'subscription_updated']);
    expect(subOf(end[0]!).attributes).toMatchObject({ status: 'expired', ends_at: renewsAt });
    expect(subOf(end[0]!).attributes.updated_at).toBe(renewsAt);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('expired');

    // An expired subscription cannot be resumed.
    const resume = await updateSubscription(subscriptionId!, { cancelled: false });
    expect(resume.statusCode).toBe(422);
  });

  it('cancelSubscription (DELETE) cancels with a grace period; resume (cancelled: false) makes it active again', async () => {
    const { subscriptionId } = await buy(h);
    const mark = h.emulator.emitted().length;
    const cancelled = ok(await cancelSubscription(subscriptionId!));
    expect(cancelled.data.attributes.status).toBe('cancelled');
    expect(cancelled.data.attributes.ends_at).toBe(cancelled.data.attributes.renews_at);

    const resumed = ok(await updateSubscription(subscriptionId!, { cancelled: false }));
    expect(resumed.data.attributes).toMatchObject({ status: 'active', cancelled: false, ends_at: null });
    expect(names(since(mark))).toEqual(['subscription_cancelled', 'subscription_updated', 'subscription_resumed', 'subscription_updated']);

    // Cancelling twice is no change and sends nothing.
    await cancelSubscription(subscriptionId!);
    const again = h.emulator.emitted().length;
    ok(await cancelSubscription(subscriptionId!));
    expect(h.emulator.emitted()).toHaveLength(again);
  });

  it('the portal buttons cancel and resume with the same webhooks', async () => {
    const { customerId, subscriptionId } = await buy(h);
    const url = ok(await getCustomer(customerId)).data.attributes.urls.customer_portal!;
    const mark = h.emulator.emitted().length;
    const cancel = await portalPost(url, `/subscriptions/${subscriptionId}`, { action: 'cancel' });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get('location')).toBe(new URL(url).pathname + new URL(url).search);
    const html = await (await fetch(url)).text();
    expect(html).toContain('Status: Cancelled');
    expect(html).toContain('>Resume</button>');
    await portalPost(url, `/subscriptions/${subscriptionId}`, { action: 'resume' });
    expect(names(since(mark))).toEqual(['subscription_cancelled', 'subscription_updated', 'subscription_resumed', 'subscription_updated']);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('active');
  });
});

describe('pause', () => {
  it('pause and unpause through the SDK and the portal', async () => {
    const { customerId, subscriptionId } = await buy(h);
    const mark = h.emulator.emitted().length;
    const paused = ok(await updateSubscription(subscriptionId!, { pause: { mode: 'free' } }));
    expect(paused.data.attributes).toMatchObject({ status: 'paused', pause: { mode: 'free', resumes_at: null } });
    const unpaused = ok(await updateSubscription(subscriptionId!, { pause: null }));
    expect(unpaused.data.attributes).toMatchObject({ status: 'active', pause: null });
    expect(names(since(mark))).toEqual(['subscription_paused', 'subscription_updated', 'subscription_unpaused', 'subscription_updated']);

    const url = ok(await getCustomer(customerId)).data.attributes.urls.customer_portal!;
    await portalPost(url, `/subscriptions/${subscriptionId}`, { action: 'pause' });
    expect(ok(await getSubscription(subscriptionId!)).data.attributes).toMatchObject({ status: 'paused', pause: { mode: 'void' } });
    await portalPost(url, `/subscriptions/${subscriptionId}`, { action: 'unpause' });
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('active');
  });

  it('a paused subscription is not charged at its period end, and unpauses itself at resumes_at', async () => {
    const { subscriptionId } = await buy(h);
    const sub = ok(await getSubscription(subscriptionId!)).data.attributes;
    const resumesAt = new Date(Date.parse(sub.renews_at) + 10 * DAY * 1000).toISOString();
    ok(await updateSubscription(subscriptionId!, { pause: { mode: 'void', resumesAt } }));
    const mark = h.emulator.emitted().length;
    await h.emulator.advanceClock(secondsUntil(h, sub.renews_at) + 11 * DAY);
    const events = since(mark);
    expect(names(events)).toEqual(['subscription_updated', 'subscription_unpaused', 'subscription_updated']);
    expect(events.some((e) => e.eventName.startsWith('subscription_payment'))).toBe(false);
    expect(subOf(events[1]!).attributes).toMatchObject({ status: 'active', pause: null });
    expect(Date.parse(subOf(events[2]!).attributes.renews_at)).toBeGreaterThan(Date.parse(sub.renews_at) + 27 * DAY * 1000);
  });

  it('a cancelled subscription cannot be paused (422 pointing at pause)', async () => {
    const { subscriptionId } = await buy(h);
    ok(await cancelSubscription(subscriptionId!));
    const response = await updateSubscription(subscriptionId!, { pause: { mode: 'void' } });
    expect(response.statusCode).toBe(422);
    expect(response.error?.cause).toEqual([
      expect.objectContaining({ status: '422', source: { pointer: '/data/attributes/pause' }, detail: expect.stringContaining('resume it first') }),
    ]);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('cancelled');
  });
});

describe('renewals', () => {
  it('at renews_at: a paid renewal invoice, subscription_payment_success then subscription_updated with the next renews_at', async () => {
    const { subscriptionId } = await buy(h);
    const renewsAt = ok(await getSubscription(subscriptionId!)).data.attributes.renews_at;
    const mark = h.emulator.emitted().length;
    await h.emulator.advanceClock(secondsUntil(h, renewsAt) - 60);
    expect(h.emulator.emitted()).toHaveLength(mark);
    await h.emulator.advanceClock(120);
    await h.emulator.idle();
    const events = since(mark);
    expect(names(events)).toEqual(['subscription_payment_success', 'subscription_updated']);
    const invoice = invoiceOf(events[0]!);
    expect(invoice.attributes).toMatchObject({ billing_reason: 'renewal', status: 'paid', total: 2900, subscription_id: Number(subscriptionId) });
    expect(invoice.attributes.created_at).toBe(renewsAt);
    expect(events[0]!.body.meta.custom_data).toEqual({ workspace_id: 'ws_1', plan_id: 'pro' });
    const next = subOf(events[1]!).attributes.renews_at;
    expect(Date.parse(next) - Date.parse(renewsAt)).toBeGreaterThanOrEqual(28 * DAY * 1000);
    expect(Date.parse(next) - Date.parse(renewsAt)).toBeLessThanOrEqual(31 * DAY * 1000);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes).toMatchObject({ status: 'active', renews_at: next });
    // Every delivery was accepted by the verifying receiver.
    expect(h.receiver.rejected).toEqual([]);
    expect(h.receiver.names().slice(-2)).toEqual(['subscription_payment_success', 'subscription_updated']);
  });

  it('a yearly variant renews a year later', async () => {
    const { subscriptionId } = await buy(h, { variantId: VARIANTS.proYearly });
    const sub = ok(await getSubscription(subscriptionId!)).data.attributes;
    expect(Date.parse(sub.renews_at) - Date.parse(sub.created_at)).toBeGreaterThanOrEqual(365 * DAY * 1000);
  });

  it('changing the variant: subscription_updated, and the next renewal charges the new price', async () => {
    const { subscriptionId } = await buy(h, { variantId: VARIANTS.hobby });
    const mark = h.emulator.emitted().length;
    const changed = ok(await updateSubscription(subscriptionId!, { variantId: VARIANTS.pro }));
    expect(changed.data.attributes).toMatchObject({ variant_id: VARIANTS.pro, product_name: 'Pro', status: 'active' });
    expect(names(since(mark))).toEqual(['subscription_updated']);
    await h.emulator.advanceClock(secondsUntil(h, changed.data.attributes.renews_at) + 60);
    const invoice = since(mark).find((e) => e.eventName === 'subscription_payment_success')!;
    expect(invoiceOf(invoice).attributes.total).toBe(2900);

    const oneTime = await updateSubscription(subscriptionId!, { variantId: VARIANTS.credits });
    expect(oneTime.statusCode).toBe(422);
    expect(oneTime.error?.cause).toEqual([expect.objectContaining({ source: { pointer: '/data/attributes/variant_id' } })]);
  });
});

describe('failed renewals (card 4000 0000 0000 0341)', () => {
  it('past_due, retried every 3 days; after updatePaymentMethod the next retry recovers it', async () => {
    const { customerId, subscriptionId } = await buy(h, { card: '4000 0000 0000 0341' });
    const sub = ok(await getSubscription(subscriptionId!)).data.attributes;
    expect(sub.card_last_four).toBe('0341');
    const mark = h.emulator.emitted().length;
    await h.emulator.advanceClock(secondsUntil(h, sub.renews_at) + 60);
    const failed = since(mark);
    expect(names(failed)).toEqual(['subscription_payment_failed', 'subscription_updated']);
    const invoice = invoiceOf(failed[0]!);
    expect(invoice.attributes).toMatchObject({ billing_reason: 'renewal', status: 'pending', card_last_four: '0341' });
    const pastDue = subOf(failed[1]!).attributes;
    expect(pastDue.status).toBe('past_due');
    expect(Date.parse(pastDue.renews_at) - Date.parse(sub.renews_at)).toBe(3 * DAY * 1000);

    // The first retry fails too.
    const mark2 = h.emulator.emitted().length;
    await h.emulator.advanceClock(3 * DAY);
    expect(names(since(mark2))).toEqual(['subscription_payment_failed', 'subscription_updated']);
    expect(invoiceOf(since(mark2)[0]!).id).toBe(invoice.id);

    // The customer updates the card (the portal's button): the next retry succeeds.
    const url = ok(await getCustomer(customerId)).data.attributes.urls.customer_portal!;
    const mark3 = h.emulator.emitted().length;
    expect((await portalPost(url, '/payment-method')).status).toBe(303);
    expect(names(since(mark3))).toEqual(['subscription_updated']);
    expect(subOf(since(mark3)[0]!).attributes).toMatchObject({ card_last_four: '4242', status: 'past_due' });
    await h.emulator.advanceClock(3 * DAY);
    const recovered = since(mark3 + 1);
    expect(names(recovered)).toEqual(['subscription_payment_success', 'subscription_payment_recovered', 'subscription_updated']);
    expect(invoiceOf(recovered[0]!).id).toBe(invoice.id);
    expect(invoiceOf(recovered[1]!).attributes).toMatchObject({ status: 'paid', card_last_four: '4242' });
    const active = subOf(recovered[2]!).attributes;
    expect(active.status).toBe('active');
    expect(Date.parse(active.renews_at)).toBeGreaterThan(Date.parse(sub.renews_at) + 27 * DAY * 1000);
    expect(ok(await getSubscriptionInvoice(invoice.id)).data.attributes.status).toBe('paid');

    await h.emulator.idle();
    expect(h.receiver.rejected).toEqual([]);
  });

  it('updatePaymentMethod (the control) before the renewal: nothing fails', async () => {
    const { customerId, subscriptionId } = await buy(h, { card: '4000000000000341' });
    await h.emulator.updatePaymentMethod(customerId);
    const renewsAt = ok(await getSubscription(subscriptionId!)).data.attributes.renews_at;
    const mark = h.emulator.emitted().length;
    await h.emulator.advanceClock(secondsUntil(h, renewsAt) + 60);
    expect(names(since(mark))).toEqual(['subscription_payment_success', 'subscription_updated']);
  });

  it('after the 4th failed retry the subscription expires', async () => {
    const { subscriptionId } = await buy(h, { card: '4000000000000341' });
    const renewsAt = ok(await getSubscription(subscriptionId!)).data.attributes.renews_at;
    const mark = h.emulator.emitted().length;
    await h.emulator.advanceClock(secondsUntil(h, renewsAt) + 60);
    for (let i = 0; i < 3; i++) await h.emulator.advanceClock(3 * DAY);
    expect(ok(await getSubscription(subscriptionId!)).data.attributes.status).toBe('past_due');
    await h.emulator.advanceClock(3 * DAY);
    const events = since(mark);
    expect(names(events).filter((n) => n === 'subscription_payment_failed')).toHaveLength(5);
    expect(names(events).slice(-3)).toEqual(['subscription_payment_failed', 'subscription_expired', 'subscription_updated']);
    expect(invoiceOf(events.at(-3)!).attributes.status).toBe('void');
    const expired = subOf(events.at(-1)!).attributes;
    expect(expired.status).toBe('expired');
    expect(Date.parse(expired.ends_at!) - Date.parse(renewsAt)).toBe(12 * DAY * 1000);
    // Nothing more happens afterwards.
    const after = h.emulator.emitted().length;
    await h.emulator.advanceClock(60 * DAY);
    expect(h.emulator.emitted()).toHaveLength(after);
  });

  it('cancelling a past_due subscription ends it at once', async () => {
    const { subscriptionId } = await buy(h, { card: '4000000000000341' });
    const renewsAt = ok(await getSubscription(subscriptionId!)).data.attributes.renews_at;
    await h.emulator.advanceClock(secondsUntil(h, renewsAt) + 60);
    const mark = h.emulator.emitted().length;
    const response = ok(await cancelSubscription(subscriptionId!));
    expect(response.data.attributes.status).toBe('expired');
    expect(names(since(mark))).toEqual(['subscription_cancelled', 'subscription_updated', 'subscription_expired', 'subscription_updated']);
  });
});
