import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../src/server/freePort.js';
import { payLemonSqueezyCheckout } from './lemonSqueezyCheckout.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';

// Stripe and Lemon Squeezy in one server (their local emulators): a workspace keeps paying where it
// subscribed. The app starts on Lemon Squeezy alone; its default then becomes Stripe, with Lemon Squeezy
// still run: a Stripe workspace subscribes beside the Lemon Squeezy one, whose renewal (sent to the old
// plain /payments-webhook and to its own route) and refund still apply, and whose portal is Lemon Squeezy's.
const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-several-'));
chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const port = String(await freePort());
const base = { DATA_DIR: dataDir, PORT: port, ADMIN_EMAILS: 'ls-owner@example.com' };

async function post(url: string, body: unknown, cookie?: string): Promise<{ status: number; body: any; cookie?: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie && { cookie }) }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json(), cookie: res.headers.getSetCookie()[0]?.split(';')[0] };
}

const emulatorUrl = (server: ServerProcess, product: string) => new RegExp(`local ${product} emulator at (http://127\\.0\\.0\\.1:\\d+)`).exec(server.output())![1]!;

async function payments(server: ServerProcess, workspaceId: string, cookie: string): Promise<{ id: string; status: string }[]> {
  return (await post(`${server.url}/operations/getPaymentHistory`, { workspaceId }, cookie)).body.payments;
}

it('bills a Lemon Squeezy workspace and a Stripe workspace side by side; switching the default loses no Lemon Squeezy webhook', async () => {
  let server = await startServerProcess({ ...base, PAYMENTS_PROCESSOR: 'lemonsqueezy' });
  const a = await post(`${server.url}/auth/signup`, { email: 'ls-owner@example.com', password: 'a long password' });
  const [cookieA, workspaceA] = [a.cookie!, a.body.workspaces[0].id as string];
  try {
    const checkout = await post(`${server.url}/operations/generateCheckoutSession`, { workspaceId: workspaceA, planId: 'pro' }, cookieA);
    expect(await payLemonSqueezyCheckout(checkout.body.sessionUrl, 'ls-owner@example.com')).toBe(303);
    await expect.poll(async () => (await post(`${server.url}/operations/getWorkspaceBilling`, { workspaceId: workspaceA }, cookieA)).body, { timeout: 20_000 }).toMatchObject({
      processor: 'lemonsqueezy',
      plan: 'pro',
      subscriptionStatus: 'active',
    });
  } finally {
    await server.stop();
  }

  server = await startServerProcess({ ...base, PAYMENTS_PROCESSORS: 'stripe,lemonsqueezy' });
  try {
    expect(server.output()).toMatch(/payments: stripe, through the local Stripe emulator .*\(the default: new checkouts\); lemonsqueezy, through the local Lemon Squeezy emulator/);
    const stripe = emulatorUrl(server, 'Stripe');
    const lemonSqueezy = emulatorUrl(server, 'Lemon Squeezy');

    // A new workspace subscribes on the default, Stripe.
    const b = await post(`${server.url}/auth/signup`, { email: 'stripe-owner@example.com', password: 'a long password' });
    const [cookieB, workspaceB] = [b.cookie!, b.body.workspaces[0].id as string];
    const checkoutB = await post(`${server.url}/operations/generateCheckoutSession`, { workspaceId: workspaceB, planId: 'pro' }, cookieB);
    expect(checkoutB.status).toBe(200);
    expect(checkoutB.body.sessionUrl.startsWith(stripe)).toBe(true);
    await post(`${stripe}/_emulator/complete-checkout`, { sessionId: checkoutB.body.sessionId });
    await expect.poll(async () => (await post(`${server.url}/operations/getWorkspaceBilling`, { workspaceId: workspaceB }, cookieB)).body, { timeout: 20_000 }).toMatchObject({
      processor: 'stripe',
      plan: 'pro',
      subscriptionStatus: 'active',
    });

    // The Lemon Squeezy workspace keeps its processor: its portal is Lemon Squeezy's, a new checkout too.
    const portalA = await post(`${server.url}/operations/getCustomerPortalUrl`, { workspaceId: workspaceA }, cookieA);
    expect(portalA.status).toBe(200);
    expect(portalA.body.url.startsWith(lemonSqueezy)).toBe(true);
    const creditsA = await post(`${server.url}/operations/generateCheckoutSession`, { workspaceId: workspaceA, planId: 'credits10' }, cookieA);
    expect(creditsA.body.sessionUrl.startsWith(lemonSqueezy)).toBe(true);

    // Its renewal, delivered where the store's webhook of old points (the plain /payments-webhook, now
    // Stripe's by default), is recognised by its signature header and applied through Lemon Squeezy.
    expect((await post(`${lemonSqueezy}/_emulator/webhook-url`, { url: `http://localhost:${port}/payments-webhook` })).body).toBeTruthy();
    await post(`${lemonSqueezy}/_emulator/advance-clock`, { seconds: 32 * 24 * 60 * 60 });
    await post(`${lemonSqueezy}/_emulator/idle`, {});
    await expect.poll(async () => (await payments(server, workspaceA, cookieA)).length, { timeout: 20_000 }).toBe(2);

    // Its refund goes to Lemon Squeezy, and the refund's webhook (to its own route) applies.
    await post(`${lemonSqueezy}/_emulator/webhook-url`, { url: `http://localhost:${port}/payments-webhook/lemonsqueezy` });
    const [latest] = await payments(server, workspaceA, cookieA);
    const refund = await post(`${server.url}/operations/refundPayment`, { workspaceId: workspaceA, paymentId: latest!.id }, cookieA);
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    await expect.poll(async () => (await payments(server, workspaceA, cookieA))[0]!.status, { timeout: 20_000 }).toBe('refunded');

    // Nothing of either landed on the other workspace, and no delivery failed.
    expect((await payments(server, workspaceB, cookieB)).length).toBe(1);
    const unknown = await post(`${server.url}/payments-webhook/paypal`, {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/runs no processor "paypal"/);
  } finally {
    await server.stop();
  }
});
