import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/server/freePort.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';

// The newcomer's path: `npm start` with no configuration gives a working billing server on an
// embedded PostgreSQL, the local Stripe emulator and a local SMTP capture; its data survives a restart.
const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-'));
// Run as root, PostgreSQL runs as its own user, which must be able to reach the data folder.
chmodSync(dataDir, 0o755);
// A fixed port for both starts: APP_URL (and so the processor's webhook target) derives from it.
const env = { DATA_DIR: dataDir, PORT: String(await freePort()) };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function json(url: string, init?: RequestInit & { cookie?: string; body?: string }) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init?.cookie && { cookie: init.cookie }), ...init?.headers },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, cookie: res.headers.getSetCookie()[0]?.split(';')[0] };
}

describe('npm start on the embedded defaults', () => {
  let server: ServerProcess;
  let cookie: string;
  let workspaceId: string;

  it('starts, says which defaults it uses, and serves /healthz', async () => {
    server = await startServerProcess(env);
    expect(server.output()).toMatch(/mode: development \(NODE_ENV is not production\); dev-only defaults in use, refused in production: STRIPE_API_KEY, STRIPE_WEBHOOK_SECRET, SMTP_HOST, APP_URL, DATABASE_URL/);
    expect(server.output()).toMatch(/network: 127\.0\.0\.1 only/);
    expect(server.output()).toMatch(/database: embedded PostgreSQL in .*postgres/);
    expect(server.output()).toMatch(/payments: stripe, through the local Stripe emulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(server.output()).toMatch(/email: local SMTP capture/);
    const health = await json(`${server.url}/healthz`);
    expect(health).toMatchObject({ status: 200, body: { ok: true, processor: 'stripe' } });
    expect(health.body.defaults.database).toContain(dataDir);
  });

  it('signs up, buys a credit pack on the emulator\'s hosted checkout page, and sends the receipt through SMTP', async () => {
    const signup = await json(`${server.url}/auth/signup`, { method: 'POST', body: JSON.stringify({ email: 'owner@example.com', password: 'a long password' }) });
    expect(signup.status).toBe(201);
    cookie = signup.cookie!;
    workspaceId = signup.body.workspaces[0].id;

    const checkout = await json(`${server.url}/operations/generateCheckoutSession`, { method: 'POST', cookie, body: JSON.stringify({ workspaceId, planId: 'credits10' }) });
    expect(checkout.status).toBe(200);
    const page = await fetch(checkout.body.sessionUrl);
    expect(await page.text()).toContain('10 credits');
    const paid = await fetch(checkout.body.sessionUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'owner@example.com', cardNumber: '4242 4242 4242 4242', expiry: '12 / 34', cvc: '123' }),
    });
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toContain(`${server.url}/checkout?status=success`);

    let credits = 0;
    for (let i = 0; i < 60 && credits === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      credits = (await json(`${server.url}/operations/getWorkspaceBilling`, { method: 'POST', cookie, body: JSON.stringify({ workspaceId }) })).body.credits;
    }
    expect(credits).toBe(10);

    let emails: { to: string[]; subject: string }[] = [];
    for (let i = 0; i < 60 && emails.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 250));
      emails = (await json(`${server.url}/dev/emails`, { cookie })).body;
    }
    expect(emails).toHaveLength(1);
    expect(emails[0]!.to).toEqual(['owner@example.com']);
    // Receipts are private: nobody reads them without a session.
    expect((await json(`${server.url}/dev/emails`)).status).toBe(401);
  });

  it('subscribes to pro on the hosted page (a declined card first), then cancels at period end in the portal', async () => {
    const pay = (sessionUrl: string, cardNumber: string) =>
      fetch(sessionUrl, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: 'owner@example.com', cardNumber, expiry: '12 / 34', cvc: '123' }),
      });
    const billing = async () => (await json(`${server.url}/operations/getWorkspaceBilling`, { method: 'POST', cookie, body: JSON.stringify({ workspaceId }) })).body;
    const until = async (done: (b: Awaited<ReturnType<typeof billing>>) => boolean) => {
      for (let i = 0; i < 80; i++) {
        const b = await billing();
        if (done(b)) return b;
        await new Promise((r) => setTimeout(r, 250));
      }
      return billing();
    };

    const checkout = await json(`${server.url}/operations/generateCheckoutSession`, { method: 'POST', cookie, body: JSON.stringify({ workspaceId, planId: 'pro' }) });
    const declined = await pay(checkout.body.sessionUrl, '4000 0000 0000 0002');
    expect(await declined.text()).toContain('Your card was declined.');
    expect(await billing()).toMatchObject({ plan: null, subscriptionStatus: null });

    expect((await pay(checkout.body.sessionUrl, '4242 4242 4242 4242')).status).toBe(303);
    const active = await until((b) => b.subscriptionStatus === 'active');
    expect(active).toMatchObject({ plan: 'pro', subscriptionStatus: 'active', hasActivePlan: true });
    expect(new Date(active.currentPeriodEnd).getTime()).toBeGreaterThan(Date.now());

    const portal = await json(`${server.url}/operations/getCustomerPortalUrl`, { method: 'POST', cookie, body: JSON.stringify({ workspaceId }) });
    const portalPage = await (await fetch(portal.body.url)).text();
    const form = /<form class="inline" method="post" action="([^"]+)">\s*<input type="hidden" name="action" value="cancel_at_period_end">/.exec(portalPage);
    expect(form).not.toBeNull();
    const cancel = await fetch(new URL(form![1]!, portal.body.url), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ action: 'cancel_at_period_end' }),
    });
    expect(cancel.status).toBe(303);
    expect(await until((b) => b.cancelAtPeriodEnd)).toMatchObject({ cancelAtPeriodEnd: true, subscriptionStatus: 'active' });

    const audit = await json(`${server.url}/operations/getAuditEvents`, { method: 'POST', cookie, body: JSON.stringify({ workspaceId, action: 'payment.*' }) });
    expect(audit.body.events.map((e: { action: string }) => e.action)).toContain('payment.succeeded');
    let subjects: string[] = [];
    for (let i = 0; i < 60 && subjects.length < 3; i++) {
      await new Promise((r) => setTimeout(r, 250));
      subjects = (await json(`${server.url}/dev/emails`, { cookie })).body.map((m: { subject: string }) => m.subject);
    }
    expect(subjects).toHaveLength(3); // credits receipt, pro receipt, cancellation notice
  });

  it('stops cleanly on SIGTERM and keeps its data for the next start', async () => {
    await server.stop();
    expect(server.output()).toContain('Billing server stopped cleanly');
    expect(server.output()).not.toContain('terminating connection due to administrator command');
    server = await startServerProcess(env);
    const login = await json(`${server.url}/auth/login`, { method: 'POST', body: JSON.stringify({ email: 'owner@example.com', password: 'a long password' }) });
    expect(login.status).toBe(200);
    const billing = await json(`${server.url}/operations/getWorkspaceBilling`, { method: 'POST', cookie: login.cookie, body: JSON.stringify({ workspaceId }) });
    expect(billing.body.credits).toBe(10);
    // The emulator kept its customers too: the portal still opens for the workspace's customer.
    const portal = await json(`${server.url}/operations/getCustomerPortalUrl`, { method: 'POST', cookie: login.cookie, body: JSON.stringify({ workspaceId }) });
    expect(portal.status).toBe(200);
    expect(portal.body.url).toMatch(/\/portal\//);
    await server.stop();
    expect(server.output()).toContain('Billing server stopped cleanly');
    expect(server.output()).not.toContain('terminating connection due to administrator command');
  });

  it('stops cleanly on a process-group SIGINT (Ctrl-C): PostgreSQL, in its own group, is stopped last', async () => {
    server = await startServerProcess(env);
    expect((await json(`${server.url}/healthz`)).status).toBe(200);
    await server.stop('SIGINT');
    expect(server.output()).toContain('Billing server stopped cleanly');
    expect(server.output()).not.toContain('terminating connection due to administrator command');
    expect(server.output()).not.toMatch(/sweep failed|outbox pass failed|unexpected error/);
  });

  it('refuses to start on bad configuration, naming each variable', async () => {
    const bad = await startServerProcess({ ...env, PORT: 'eighty', PAYMENTS_PROCESSOR: 'paypal' }).catch((e: Error) => e.message);
    expect(bad).toMatch(/exited with 1/);
    expect(bad).toMatch(/PORT: /);
  });

  it('names a port another program holds, and leaves no PostgreSQL running', async () => {
    const holder = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    const own = mkdtempSync(path.join(tmpdir(), 'billing-e2e-port-'));
    chmodSync(own, 0o755);
    try {
      const refused = await startServerProcess({ DATA_DIR: own, PORT: String(port) }).catch((e: Error) => e.message);
      expect(refused).toMatch(/exited with 1/);
      expect(refused).toContain(`PORT ${port} is in use by another program`);
      expect(existsSync(path.join(own, 'postgres', 'postmaster.pid'))).toBe(false); // stopped, not orphaned
    } finally {
      holder.close();
      rmSync(own, { recursive: true, force: true });
    }
  });
});
