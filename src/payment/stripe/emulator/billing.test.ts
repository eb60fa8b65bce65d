import type Stripe from 'stripe';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, startHarness, subscribe, type Harness } from './testSupport.js';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function eventsSince(index: number): Stripe.Event[] {
  return h.emulator.events().slice(index);
}

async function portalPost(sessionUrl: string, subscriptionId: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${sessionUrl}/subscriptions/${subscriptionId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

describe('customer portal', () => {
  it('lists the subscription with its buttons and a return link', async () => {
    const { customer, subscription } = await subscribe(h);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://app.test/billing' });
    expect(portal.object).toBe('billing_portal.session');
    expect(portal.url).toBe(`${h.emulator.url}/portal/${portal.id}`);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain(`aria-labelledby="sub-${subscription.id}"`);
    expect(html).toContain('>Cancel at period end</button>');
    expect(html).toContain('>Cancel now</button>');
    expect(html).toContain('>Switch to Hobby</button>');
    expect(html).toContain('<a href="http://app.test/billing">Return to app</a>');
  });

  it('cancel at period end → customer.subscription.updated with previous_attributes, then deleted at period end', async () => {
    const { customer, subscription } = await subscribe(h);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customer.id, return_url: 'http://app.test/billing' });
    const mark = h.emulator.events().length;
    const response = await portalPost(portal.url, subscription.id, { action: 'cancel_at_period_end' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/portal/${portal.id}`);

    const [updated] = eventsSince(mark) as Stripe.CustomerSubscriptionUpdatedEvent[];
    expect(updated!.type).toBe('customer.subscription.updated');
    expect(updated!.data.object.cancel_at_period_end).toBe(true);
    const periodEnd = subscription.items.data[0]!.current_period_end;
    expect(updated!.data.object.cancel_at).toBe(periodEnd);
    expect(updated!.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    expect(updated!.data.previous_attributes?.cancellation_details).toEqual({ comment: null, feedback: null, feedback_option: null, reason: null });
    expect(await (await fetch(portal.url)).text()).toContain('>Resume</button>');

    // Nothing happens a day before the period ends...
    const beforeEnd = h.emulator.events().length;
    await h.emulator.advanceClock(periodEnd - Math.floor(h.emulator.now().getTime() / 1000) - DAY);
    expect(h.emulator.events()).toHaveLength(beforeEnd);
    // ...and at the period end the subscription ends, without a renewal invoice.
    await h.emulator.advanceClock(2 * DAY);
    const after = eventsSince(beforeEnd);
    expect(after.map((e) => e.type)).toEqual(['customer.subscription.deleted']);
    const deleted = after[0]!.data.object as Stripe.Subscription;
    expect(deleted.status).toBe('canceled');
    expect(deleted.ended_at).toBe(periodEnd);
    expect(after[0]!.created).toBe(periodEnd);
    expect(deleted.cancellation_details?.reason).toBe('cancellation_requested');
    expect((await h.stripe.subscriptions.list({ customer: customer.id })).data).toEqual([]);
    expect((await h.stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data).toHaveLength(1);
  });

  it('resume undoes cancel at period end', async () => {
    const { customer, subscription } = await subscribe(h);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customer.id });
    await portalPost(portal.url, subscription.id, { action: 'cancel_at_period_end' });
    const mark = h.emulator.events().length;
    await portalPost(portal.url, subscription.id, { action: 'resume' });
    const [updated] = eventsSince(mark) as Stripe.CustomerSubscriptionUpdatedEvent[];
    expect(updated!.data.object.cancel_at_period_end).toBe(false);
    expect(updated!.data.previous_attributes?.cancel_at_period_end).toBe(true);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).cancel_at).toBeNull();
  });

  it('cancel now → customer.subscription.deleted at once', async () => {
    const { customer, subscription } = await subscribe(h);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customer.id });
    const mark = h.emulator.events().length;
    await portalPost(portal.url, subscription.id, { action: 'cancel_now' });
    expect(eventsSince(mark).map((e) => e.type)).toEqual(['customer.subscription.deleted']);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('canceled');
    expect(await (await fetch(portal.url)).text()).toContain('Status: Canceled');
  });

  it('switch plan → updated with the old item in previous_attributes; the proration lands on the renewal invoice', async () => {
    const { customer, subscription } = await subscribe(h);
    const portal = await h.stripe.billingPortal.sessions.create({ customer: customer.id });
    const mark = h.emulator.events().length;
    await portalPost(portal.url, subscription.id, { action: 'switch', price: 'price_hobby' });
    const [updated] = eventsSince(mark) as Stripe.CustomerSubscriptionUpdatedEvent[];
    expect(eventsSince(mark)).toHaveLength(1);
    expect(updated!.data.object.items.data[0]!.price.id).toBe('price_hobby');
    expect(updated!.data.previous_attributes?.items?.data[0]?.price.id).toBe('price_pro');

    await h.emulator.advanceClock(32 * DAY);
    const renewal = await h.stripe.invoices.retrieve(String((await h.stripe.subscriptions.retrieve(subscription.id)).latest_invoice));
    expect(renewal.billing_reason).toBe('subscription_cycle');
    const lines = renewal.lines.data;
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.parent?.subscription_item_details?.proration)).toHaveLength(2);
    expect(lines.at(-1)!.amount).toBe(900);
    expect(renewal.amount_due).toBeLessThan(900);
  });

  it('refuses another customer’s subscription', async () => {
    const { subscription } = await subscribe(h);
    const other = await h.stripe.customers.create({ email: 'other@example.com' });
    const portal = await h.stripe.billingPortal.sessions.create({ customer: other.id });
    const response = await portalPost(portal.url, subscription.id, { action: 'cancel_now' });
    expect(response.status).toBe(404);
    expect((await h.stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });
});

describe('subscription API', () => {
  it('update cancel_at_period_end and metadata in one customer.subscription.updated', async () => {
    const { subscription } = await subscribe(h);
    const mark = h.emulator.events().length;
    const updated = await h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true, metadata: { note: 'x' } });
    expect(updated.cancel_at_period_end).toBe(true);
    expect(updated.metadata).toEqual({ workspaceId: 'ws_1', planId: 'pro', note: 'x' });
    const events = eventsSince(mark) as Stripe.CustomerSubscriptionUpdatedEvent[];
    expect(events).toHaveLength(1);
    expect(events[0]!.data.previous_attributes).toMatchObject({ cancel_at_period_end: false, metadata: { note: null } });
  });

  it('switches price with always_invoice: a prorated invoice charged now', async () => {
    const { subscription } = await subscribe(h, { price: 'price_hobby' });
    await h.emulator.advanceClock(10 * DAY);
    const mark = h.emulator.events().length;
    const updated = await h.stripe.subscriptions.update(subscription.id, {
      items: [{ id: subscription.items.data[0]!.id, price: 'price_pro' }],
      proration_behavior: 'always_invoice',
    });
    expect(updated.items.data[0]!.price.id).toBe('price_pro');
    expect(updated.items.data[0]!.current_period_end).toBe(subscription.items.data[0]!.current_period_end);
    expect(eventsSince(mark).map((e) => e.type)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.succeeded',
      'charge.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const invoice = await h.stripe.invoices.retrieve(String(updated.latest_invoice));
    expect(invoice.billing_reason).toBe('subscription_update');
    expect(invoice.amount_paid).toBeGreaterThan(0);
    expect(invoice.amount_paid).toBeLessThan(2900 - 900);
  });

  it('rejects switching to a one-time price and unknown item ids', async () => {
    const { subscription } = await subscribe(h);
    await expect(
      h.stripe.subscriptions.update(subscription.id, { items: [{ id: subscription.items.data[0]!.id, price: 'price_credits10' }] }),
    ).rejects.toMatchObject({ statusCode: 400, param: 'items[0][price]' });
    await expect(h.stripe.subscriptions.update(subscription.id, { items: [{ id: 'si_nope', price: 'price_hobby' }] })).rejects.toMatchObject({
      statusCode: 400,
      param: 'items[0][id]',
    });
  });

  it('cancels now with DELETE, and refuses to change a canceled subscription', async () => {
    const { subscription } = await subscribe(h);
    const mark = h.emulator.events().length;
    const canceled = await h.stripe.subscriptions.cancel(subscription.id);
    expect(canceled.status).toBe('canceled');
    expect(canceled.ended_at).not.toBeNull();
    expect(eventsSince(mark).map((e) => e.type)).toEqual(['customer.subscription.deleted']);
    await expect(h.stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true })).rejects.toMatchObject({
      statusCode: 400,
      code: 'invalid_canceled_subscription_fields',
    });
    await expect(h.stripe.subscriptions.retrieve('sub_nope')).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('the clock', () => {
  it('renews at period end: subscription.updated, then a paid subscription_cycle invoice', async () => {
    const { subscription } = await subscribe(h);
    const item = subscription.items.data[0]!;
    const mark = h.emulator.events().length;
    await h.emulator.advanceClock(item.current_period_end - item.current_period_start + 60);
    const events = eventsSince(mark);
    expect(events.map((e) => e.type)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.succeeded',
      'charge.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
    const updated = events[0] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.object.items.data[0]!.current_period_start).toBe(item.current_period_end);
    expect(updated.data.previous_attributes?.items?.data[0]?.current_period_end).toBe(item.current_period_end);
    const paid = events[5]!.data.object as Stripe.Invoice;
    expect(paid.billing_reason).toBe('subscription_cycle');
    expect(paid.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(paid.lines.data[0]!.period.start).toBe(item.current_period_end);
    expect(paid.number).toMatch(/-0002$/);
    expect(events.every((e) => e.created === item.current_period_end)).toBe(true);
    expect(h.emulator.now().getTime() / 1000).toBeGreaterThanOrEqual(item.current_period_end + 60);
  });

  it('with the 0341 card: the first payment succeeds, the renewal fails → past_due, retries, then canceled', async () => {
    const { subscription } = await subscribe(h, { card: '4000000000000341' });
    expect(subscription.status).toBe('active');
    const item = subscription.items.data[0]!;
    const mark = h.emulator.events().length;
    await h.emulator.advanceClock(item.current_period_end - item.current_period_start + 60);
    const renewal = eventsSince(mark);
    expect(renewal.map((e) => e.type)).toEqual([
      'customer.subscription.updated',
      'invoice.created',
      'invoice.finalized',
      'payment_intent.payment_failed',
      'charge.failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ]);
    const failed = renewal[5]!.data.object as Stripe.Invoice;
    expect(failed.status).toBe('open');
    expect(failed.attempt_count).toBe(1);
    expect(failed.next_payment_attempt).toBe(item.current_period_end + 3 * DAY);
    const pastDue = renewal[6] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(pastDue.data.object.status).toBe('past_due');
    expect(pastDue.data.previous_attributes).toEqual({ status: 'active' });

    const mark2 = h.emulator.events().length;
    await h.emulator.advanceClock(7 * DAY);
    expect(eventsSince(mark2).map((e) => e.type)).toEqual([
      'payment_intent.payment_failed',
      'charge.failed',
      'invoice.payment_failed',
      'payment_intent.payment_failed',
      'charge.failed',
      'invoice.payment_failed',
      'customer.subscription.deleted',
    ]);
    const final = await h.stripe.subscriptions.retrieve(subscription.id);
    expect(final.status).toBe('canceled');
    expect(final.cancellation_details?.reason).toBe('payment_failed');
    const invoice = await h.stripe.invoices.retrieve(failed.id);
    expect(invoice.attempt_count).toBe(3);
    expect(invoice.next_payment_attempt).toBeNull();
  });

  it('tells trial_will_end 3 days before, then charges at trial end', async () => {
    const { subscription } = await subscribe(h, { trialDays: 7 });
    const mark = h.emulator.events().length;
    await h.emulator.advanceClock(4 * DAY + 60);
    const notice = eventsSince(mark);
    expect(notice.map((e) => e.type)).toEqual(['customer.subscription.trial_will_end']);
    expect(notice[0]!.created).toBe(subscription.trial_end! - 3 * DAY);
    const mark2 = h.emulator.events().length;
    await h.emulator.advanceClock(3 * DAY);
    const end = eventsSince(mark2);
    expect(end[0]!.type).toBe('customer.subscription.updated');
    const updated = end[0] as Stripe.CustomerSubscriptionUpdatedEvent;
    expect(updated.data.object.status).toBe('active');
    expect(updated.data.previous_attributes?.status).toBe('trialing');
    expect(end.map((e) => e.type)).toContain('invoice.paid');
    const invoice = end.find((e) => e.type === 'invoice.paid')!.data.object as Stripe.Invoice;
    expect(invoice.amount_paid).toBe(2900);
  });
});
