import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';
import { definePaymentProcessor } from '../webhookHandler.js';
import { startEmulatedStripe, type EmulatedStripeDriver } from './stripeEmulatorMode.js';

// The whole Stripe flow offline: the app's operations call the real `stripe` SDK, which talks HTTP to
// the local emulator; the emulator's hosted checkout "charges" a test card and delivers Stripe-signed
// webhooks to the app's /payments-webhook; the core applies them on real PostgreSQL.
const GOOD_CARD = '4242424242424242';
const DECLINED_CARD = '4000000000000002';
const FAILS_LATER_CARD = '4000000000000341';
const DAY = 24 * 60 * 60;

let t: TestServer;
let stripe: EmulatedStripeDriver;

beforeAll(async () => {
  stripe = await startEmulatedStripe({});
  t = await startTestServer({ processor: definePaymentProcessor(stripe) });
  stripe.emulator.setWebhookUrl(`${t.baseUrl}/payments-webhook`);
});
afterAll(() => stripe.close?.());

async function owner(): Promise<TestUser> {
  return t.signup(`owner-${Math.random().toString(36).slice(2)}@example.com`);
}

/** Checkout through the app, pay on the emulator's hosted page, wait for the webhooks to land. */
async function buy(user: TestUser, workspaceId: string, planId: string, card = GOOD_CARD) {
  const session = await t.call('generateCheckoutSession', { workspaceId, planId }, user);
  expect(session.status).toBe(200);
  expect(session.body.sessionUrl).toMatch(new RegExp(`^${stripe.emulator.url}/checkout/`));
  await stripe.emulator.completeCheckout(session.body.sessionId, card);
  await stripe.emulator.idle();
  return session.body.sessionId as string;
}

const billing = async (user: TestUser, workspaceId = user.workspaceId) =>
  (await t.call('getWorkspaceBilling', { workspaceId }, user)).body;
const templatesSentTo = async (email: string) => (await db().emailOutbox.findMany({ where: { recipient: email }, orderBy: { createdAt: 'asc' } })).map((e) => e.template);

describe('Stripe through the local emulator', () => {
  it('subscribes an owner to pro: plan, status, period end, customer, audit and one receipt', async () => {
    const o = await owner();
    await buy(o, o.workspaceId, 'pro');
    const b = await billing(o);
    expect(b).toMatchObject({ processor: 'stripe', plan: 'pro', subscriptionStatus: 'active', hasActivePlan: true, cancelAtPeriodEnd: false });
    expect(b.customerId).toMatch(/^cus_/);
    expect(new Date(b.currentPeriodEnd).getTime()).toBeGreaterThan(stripe.emulator.now().getTime() + 27 * DAY * 1000);
    expect(await templatesSentTo(o.email)).toEqual(['payment_succeeded']);
    const actions = (await db().auditEvent.findMany({ where: { workspaceId: o.workspaceId } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['checkout.created', 'checkout.completed', 'subscription.updated', 'payment.succeeded']));
    const customer = await stripe.stripe.customers.retrieve(b.customerId);
    expect(customer).toMatchObject({ metadata: { workspaceId: o.workspaceId } });
  });

  it('refuses a second subscription checkout while one is active (409, use the portal)', async () => {
    const o = await owner();
    await buy(o, o.workspaceId, 'hobby');
    const again = await t.call('generateCheckoutSession', { workspaceId: o.workspaceId, planId: 'pro' }, o);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/customer portal/);
  });

  it('lets a member buy a credit pack: credits rise by exactly its amount, once', async () => {
    const o = await owner();
    const member = await t.signup(`member-${Math.random().toString(36).slice(2)}@example.com`);
    await t.addMember(o, member, 'member');
    await buy(member, o.workspaceId, 'credits10');
    expect((await billing(o)).credits).toBe(10);
    // Stripe sends both checkout.session.completed and invoice.paid for the pack: one grant.
    expect(await db().creditLedger.count({ where: { workspaceId: o.workspaceId } })).toBe(1);
    expect(await templatesSentTo(o.email)).toEqual(['credits_purchased']);
    expect(await templatesSentTo(member.email)).toEqual([]);
  });

  it('changes nothing when the card is declined', async () => {
    const o = await owner();
    const session = await t.call('generateCheckoutSession', { workspaceId: o.workspaceId, planId: 'pro' }, o);
    await expect(stripe.emulator.completeCheckout(session.body.sessionId, DECLINED_CARD)).rejects.toThrow(/declined/);
    await stripe.emulator.idle();
    expect(await billing(o)).toMatchObject({ plan: null, subscriptionStatus: null, credits: 0 });
    expect(await db().payment.count({ where: { workspaceId: o.workspaceId } })).toBe(0);
  });

  it('opens the portal for owners; cancel at period end shows, then the subscription ends at period end', async () => {
    const o = await owner();
    await buy(o, o.workspaceId, 'pro');
    const portal = await t.call('getCustomerPortalUrl', { workspaceId: o.workspaceId }, o);
    expect(portal.body.url).toMatch(new RegExp(`^${stripe.emulator.url}/portal/`));

    const { subscriptionId } = await t.workspace(o.workspaceId);
    await stripe.stripe.subscriptions.update(subscriptionId!, { cancel_at_period_end: true });
    await stripe.emulator.idle();
    expect(await billing(o)).toMatchObject({ cancelAtPeriodEnd: true, subscriptionStatus: 'active', hasActivePlan: true });

    await stripe.emulator.advanceClock(32 * DAY);
    await stripe.emulator.idle();
    expect(await billing(o)).toMatchObject({ subscriptionStatus: 'canceled', hasActivePlan: false });
    expect(await templatesSentTo(o.email)).toEqual(['payment_succeeded', 'subscription_cancelled', 'subscription_ended']);
  });

  it('a failed renewal sets past_due and emails the owners once', async () => {
    const o = await owner();
    await buy(o, o.workspaceId, 'pro', FAILS_LATER_CARD);
    await stripe.emulator.advanceClock(31 * DAY);
    await stripe.emulator.idle();
    expect(await billing(o)).toMatchObject({ subscriptionStatus: 'past_due', hasActivePlan: true });
    await stripe.emulator.advanceClock(3 * DAY); // Stripe's retry of the same invoice fails again
    await stripe.emulator.idle();
    expect((await templatesSentTo(o.email)).filter((tpl) => tpl === 'payment_failed')).toHaveLength(1);
  });

  it('applies duplicates and the same invoice under a new event id once', async () => {
    const o = await owner();
    await buy(o, o.workspaceId, 'pro');
    const paid = stripe.emulator.events().filter((e) => e.type === 'invoice.paid').at(-1)!;
    await stripe.emulator.redeliver(paid.id);
    await stripe.emulator.duplicateAsNewEvent(paid.id);
    await stripe.emulator.idle();
    expect(await db().payment.count({ where: { workspaceId: o.workspaceId } })).toBe(1);
    expect(await templatesSentTo(o.email)).toEqual(['payment_succeeded']);
  });

  it('ends in the right state when a checkout’s events arrive in reverse order', async () => {
    const o = await owner();
    stripe.emulator.pauseDeliveries();
    const session = await t.call('generateCheckoutSession', { workspaceId: o.workspaceId, planId: 'pro' }, o);
    await stripe.emulator.completeCheckout(session.body.sessionId, GOOD_CARD);
    await stripe.emulator.resumeDeliveries({ order: 'reverse' });
    await stripe.emulator.idle();
    expect(await billing(o)).toMatchObject({ plan: 'pro', subscriptionStatus: 'active' });
    expect(await templatesSentTo(o.email)).toEqual(['payment_succeeded']);
  });

  it('takes a refunded credit pack back', async () => {
    const o = await owner();
    await buy(o, o.workspaceId, 'credits10');
    const payment = await db().payment.findFirstOrThrow({ where: { workspaceId: o.workspaceId } });
    await stripe.stripe.refunds.create({ payment_intent: payment.moneyId });
    await stripe.emulator.idle();
    expect((await billing(o)).credits).toBe(0);
    expect(await db().payment.findUniqueOrThrow({ where: { id: payment.id } })).toMatchObject({ status: 'refunded' });
  });
});
