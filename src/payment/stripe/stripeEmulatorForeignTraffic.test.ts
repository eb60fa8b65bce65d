import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { startEmulatedApp } from '../../reliability/processorFaults.js';
import type { TestServer, TestUser } from '../../test/testServer.js';
import { startEmulatedStripe, type EmulatedStripeDriver } from './stripeEmulatorMode.js';
import { allWorkspaces } from '../../test/billingRecords.js';

// The Stripe driver in the real app, on the local Stripe emulator, whose webhooks go to /payments-webhook:
// a workspace subscribes to pro through the app, then the emulator sends what other apps of the same
// account send (src/payment/stripe/emulator/foreignTraffic.ts). Every delivery is acknowledged and recorded
// ignored with its reason, and nothing a user or an operator can see changes.

let t: TestServer;
let stripe: EmulatedStripeDriver;
let owner: TestUser;
let ourPrice: string;

beforeAll(async () => {
  ({ t, driver: stripe } = await startEmulatedApp(startEmulatedStripe));
  owner = await t.signup(`owner-${randomUUID().slice(0, 8)}@example.com`);
  const checkout = await t.call('generateCheckoutSession', { workspaceId: owner.workspaceId, planId: 'pro' }, owner);
  expect(checkout.status, JSON.stringify(checkout.body)).toBe(200);
  await stripe.emulator.completeCheckout(checkout.body.sessionId);
  await stripe.emulator.idle();
  const workspace = await t.workspace(owner.workspaceId);
  expect(workspace).toMatchObject({ subscriptionPlan: 'pro', subscriptionStatus: 'active' });
  ourPrice = (await stripe.stripe.subscriptions.retrieve(workspace.subscriptionId!)).items.data[0]!.price.id;
});

/** What the owner, the operator and the mail queue see. */
async function observableState() {
  const history = await t.call('getPaymentHistory', { workspaceId: owner.workspaceId }, owner);
  expect(history.status).toBe(200);
  return {
    workspaces: await allWorkspaces(),
    payments: await db().payment.findMany({ orderBy: { id: 'asc' } }),
    history: history.body,
    audit: await db().auditEvent.findMany({ orderBy: { id: 'asc' } }),
    outbox: await db().emailOutbox.findMany({ orderBy: { id: 'asc' } }),
  };
}

const idOf = (value: unknown) => (typeof value === 'string' ? value : (value as { id: string }).id);

/** The reason the driver must give for each foreign event: not ours by its price and metadata, or a type it does not act on. */
function expectedReason(event: Stripe.Event): string | RegExp {
  const object = event.data.object as { id: string };
  switch (event.type) {
    case 'checkout.session.completed':
      return `checkout session ${object.id} was not created by this plugin (no metadata.workspaceId or metadata.planId)`;
    case 'customer.subscription.created':
      return new RegExp(`^subscription ${object.id} is on price price_\\w+, not one of our plans, and names no workspace of ours$`);
    case 'charge.refunded':
      return new RegExp(`^charge ${object.id} names no customer and no workspace of ours`);
    case 'invoice.paid':
    case 'invoice.payment_succeeded':
      return new RegExp(`^invoice ${object.id} bills price price_\\w+, none of our plans, and names no workspace of ours$`);
    default:
      return `Stripe event type ${event.type} is not one this plugin acts on`;
  }
}

async function sendForeignTraffic(body: { kind: string; customerId?: string }): Promise<Stripe.Event[]> {
  const mark = stripe.emulator.events().length;
  const res = await fetch(`${stripe.emulator.url}/_emulator/foreign-traffic`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  await stripe.emulator.idle();
  return stripe.emulator.events().slice(mark);
}

describe('foreign traffic from the emulator, through /payments-webhook', () => {
  // unknown-event first: it is about the newest customer, ours until other-customer makes one.
  const kinds = [
    { kind: 'unknown-event', ofOurCustomer: true, types: ['customer.tax_id.created'] },
    { kind: 'other-product', ofOurCustomer: true, types: ['checkout.session.completed', 'customer.subscription.created', 'invoice.paid', 'invoice.payment_succeeded'] },
    { kind: 'other-customer', ofOurCustomer: false, types: ['customer.created', 'checkout.session.completed', 'customer.subscription.created', 'invoice.paid'] },
    { kind: 'bare-charge-refund', ofOurCustomer: false, types: ['charge.succeeded', 'charge.refunded'] },
  ];

  it.each(kinds)('$kind: every delivery 2xx, recorded ignored with its reason, nothing changed', async ({ kind, ofOurCustomer, types }) => {
    const before = await observableState();
    const ourCustomer = before.workspaces.find((w) => w.id === owner.workspaceId)!.customers[0]?.customerId;
    expect(ourCustomer).toMatch(/^cus_/);

    const sent = await sendForeignTraffic({ kind, ...(kind === 'other-product' && { customerId: ourCustomer! }) });
    expect(sent.map((e) => e.type)).toEqual(expect.arrayContaining(types));
    for (const event of sent) {
      // The object's customer, else its own id (customer.created's object is the customer).
      const customer = (event.data.object as { customer?: string | { id: string } | null }).customer ?? (event.data.object as { id: string }).id;
      expect({ type: event.type, ours: idOf(customer) === ourCustomer }).toEqual({ type: event.type, ours: ofOurCustomer });
      if (event.type === 'customer.subscription.created') expect((event.data.object as Stripe.Subscription).items.data[0]!.price.id).not.toBe(ourPrice);
    }

    const attempts = stripe.emulator.deliveries().filter((d) => sent.some((e) => e.id === d.eventId));
    expect(attempts.map((d) => d.eventId).sort()).toEqual(sent.map((e) => e.id).sort()); // one attempt each: none was retried
    expect(attempts.map((d) => d.status)).toEqual(sent.map(() => 200));

    const recorded = await db().webhookDelivery.findMany({ where: { processor: 'stripe', eventId: { in: sent.map((e) => e.id) } } });
    expect(recorded).toHaveLength(sent.length);
    for (const event of sent) {
      const delivery = recorded.find((d) => d.eventId === event.id)!;
      expect({ type: event.type, status: delivery.status }).toEqual({ type: event.type, status: 'ignored' });
      const reason = expectedReason(event);
      if (typeof reason === 'string') expect(delivery.lastError).toBe(reason);
      else expect(delivery.lastError).toMatch(reason);
    }

    expect(await observableState()).toEqual(before);
  });
});
