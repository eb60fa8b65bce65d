import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import type { TestServer } from '../../test/testServer.js';
import { stripeCheckoutSession, stripeEvent } from '../stripe/testing/stripeObjects.js';
import { startStripeTestApp, type StripeTestApp } from '../stripe/testing/stripeTestApp.js';
import { billedWorkspace } from '../../test/billingRecords.js';

// Customer binding (issue 12), through signed Stripe deliveries over HTTP: an event never acts on one
// workspace with another's customer, and never replaces a workspace's customer.

let app: StripeTestApp;
let t: TestServer;
beforeAll(async () => {
  app = await startStripeTestApp();
  t = app.t;
});
afterAll(() => app.close());

const send = (event: unknown) => app.send(event);
const n = () => randomUUID().replaceAll('-', '').slice(0, 12);
const creditsCheckout = (workspaceId: string, customer: string) =>
  stripeEvent('checkout.session.completed', stripeCheckoutSession({ mode: 'payment', workspaceId, customer, planId: 'credits10' }));

/** Two workspaces, each linked to its own Stripe customer by a paid credit pack. */
async function twoCustomers() {
  const [a, b] = await Promise.all([t.signup(`a-${n()}@example.com`), t.signup(`b-${n()}@example.com`)]);
  const ids = { a: a.workspaceId, b: b.workspaceId, customerA: `cus_a_${n()}`, customerB: `cus_b_${n()}` };
  for (const [workspaceId, customer] of [[ids.a, ids.customerA], [ids.b, ids.customerB]] as const) {
    expect((await send(creditsCheckout(workspaceId, customer))).status).toBe(200);
  }
  return ids;
}

const billing = async (id: string) => {
  const { processorCustomerId, credits } = await billedWorkspace(id);
  return { processorCustomerId, credits };
};

describe('an event naming workspace A with workspace B’s customer', () => {
  it('changes nothing, is stored failed naming both workspaces, and is audited on A', async () => {
    const ids = await twoCustomers();
    const forged = creditsCheckout(ids.a, ids.customerB);
    const res = await send(forged);
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(ids.a);
    expect(res.body.message).toContain(ids.b);

    expect(await billing(ids.a)).toEqual({ processorCustomerId: ids.customerA, credits: 10 });
    expect(await billing(ids.b)).toEqual({ processorCustomerId: ids.customerB, credits: 10 });
    const stored = await db().webhookDelivery.findFirstOrThrow({ where: { eventId: forged.id } });
    expect(stored.status).toBe('failed');
    expect(stored.lastError).toMatch(new RegExp(`workspace ${ids.a} .*customer ${ids.customerB}, workspace ${ids.b}'s`));
    expect(await db().auditEvent.findMany({ where: { workspaceId: ids.a, action: 'delivery.customer_conflict' } })).toMatchObject([
      { target: forged.id, metadata: { customerId: ids.customerB, customerWorkspaceId: ids.b } },
    ]);
  });

  it('is refused for a workspace without a customer too: B’s customer is never linked to A', async () => {
    const ids = await twoCustomers();
    const fresh = await t.signup(`c-${n()}@example.com`);
    expect((await send(creditsCheckout(fresh.workspaceId, ids.customerB))).status).toBe(422);
    expect(await billing(fresh.workspaceId)).toEqual({ processorCustomerId: null, credits: 0 });
  });
});

describe('an event with another customer for a workspace that has one', () => {
  it('never replaces the workspace’s customer', async () => {
    const ids = await twoCustomers();
    const stranger = `cus_new_${n()}`;
    expect((await send(creditsCheckout(ids.a, stranger))).status).toBe(422);
    expect(await billing(ids.a)).toEqual({ processorCustomerId: ids.customerA, credits: 10 });
  });

  it('its own customer again is applied as usual', async () => {
    const ids = await twoCustomers();
    expect((await send(creditsCheckout(ids.a, ids.customerA))).status).toBe(200);
    expect(await billing(ids.a)).toEqual({ processorCustomerId: ids.customerA, credits: 20 });
  });
});
