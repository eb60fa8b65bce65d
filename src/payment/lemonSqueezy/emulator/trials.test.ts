import { createCheckout, getSubscription, getVariant, updateSubscription } from '@lemonsqueezy/lemonsqueezy.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LsOrderData, LsSubscriptionData, LsSubscriptionInvoiceData } from './types.js';
import { buy, DAY, ok, startHarness, STORE_ID, TEST_VARIANTS, VARIANTS, type Harness } from './testSupport.js';

// Free trials live on the variant, as in Lemon Squeezy; a checkout may skip it (checkout_options.skip_trial).
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ variants: TEST_VARIANTS.map((v) => (v.id === VARIANTS.hobby ? { ...v, trialDays: 14 } : v)) });
});
afterEach(async () => {
  await h.close();
});

const emittedSince = (mark: number) => h.emulator.emitted().slice(mark);
const subscriptionNow = async (id: string) => ok(await getSubscription(id)).data.attributes;

describe('a variant with a free trial', () => {
  it('shows it on the variant', async () => {
    expect(ok(await getVariant(VARIANTS.hobby)).data.attributes).toMatchObject({ has_free_trial: true, trial_interval: 'day', trial_interval_count: 14 });
    expect(ok(await getVariant(VARIANTS.pro)).data.attributes).toMatchObject({ has_free_trial: false });
  });

  it('checkout: a $0 order and an on_trial subscription renewing at the trial end, no invoice; the trial end is the first charge', async () => {
    const mark = h.emulator.emitted().length;
    const start = h.emulator.now().getTime();
    const { subscriptionId, invoiceId } = await buy(h, { variantId: VARIANTS.hobby });
    const events = emittedSince(mark);
    expect(events.map((e) => e.eventName)).toEqual(['order_created', 'subscription_created', 'subscription_updated']);
    expect(invoiceId).toBeNull();
    expect((events[0]!.body.data as LsOrderData).attributes).toMatchObject({ total: 0, status: 'paid' });
    const trialEnd = new Date(start + 14 * DAY * 1000);
    const created = (events[1]!.body.data as LsSubscriptionData).attributes;
    // Lemon Squeezy shows no subscription item while on trial; the first charge adds it.
    expect(created).toMatchObject({ status: 'on_trial', first_subscription_item: null, payment_processor: 'stripe' });
    expect(Math.abs(Date.parse(created.trial_ends_at!) - trialEnd.getTime())).toBeLessThan(5_000);
    expect(created.renews_at).toBe(created.trial_ends_at);

    const beforeEnd = h.emulator.emitted().length;
    await h.emulator.advanceClock(14 * DAY + 60);
    const atEnd = emittedSince(beforeEnd);
    expect(atEnd.map((e) => e.eventName)).toEqual(['subscription_payment_success', 'subscription_updated']);
    expect((atEnd[0]!.body.data as LsSubscriptionInvoiceData).attributes).toMatchObject({ billing_reason: 'renewal', total: 900, status: 'paid' });
    expect(await subscriptionNow(subscriptionId!)).toMatchObject({ status: 'active', trial_ends_at: null, first_subscription_item: { subscription_id: Number(subscriptionId) } });
  });

  it('a failing card at the trial end makes it past_due', async () => {
    const { subscriptionId } = await buy(h, { variantId: VARIANTS.hobby, card: '4000000000000341' });
    await h.emulator.advanceClock(14 * DAY + 60);
    expect(await subscriptionNow(subscriptionId!)).toMatchObject({ status: 'past_due', trial_ends_at: null });
  });

  it('cancelled during the trial it ends at the trial end; resumed it is on trial again', async () => {
    const { subscriptionId } = await buy(h, { variantId: VARIANTS.hobby });
    const { trial_ends_at: trialEnd } = await subscriptionNow(subscriptionId!);
    ok(await updateSubscription(subscriptionId!, { cancelled: true }));
    expect(await subscriptionNow(subscriptionId!)).toMatchObject({ status: 'cancelled', ends_at: trialEnd });
    ok(await updateSubscription(subscriptionId!, { cancelled: false }));
    expect(await subscriptionNow(subscriptionId!)).toMatchObject({ status: 'on_trial', ends_at: null, trial_ends_at: trialEnd });
  });

  it('skip_trial: charged now, as a variant without a trial', async () => {
    const checkout = ok(
      await createCheckout(STORE_ID, VARIANTS.hobby, { checkoutOptions: { skipTrial: true }, checkoutData: { email: 'again@example.com', custom: { workspace_id: 'ws_2' } } }),
    );
    const mark = h.emulator.emitted().length;
    await h.emulator.completeCheckout(checkout.data.id);
    const events = emittedSince(mark);
    expect(events.map((e) => e.eventName)).toEqual(['order_created', 'subscription_created', 'subscription_payment_success', 'subscription_updated']);
    expect((events[0]!.body.data as LsOrderData).attributes.total).toBe(900);
    expect((events[1]!.body.data as LsSubscriptionData).attributes).toMatchObject({ status: 'active', trial_ends_at: null });
  });
});
