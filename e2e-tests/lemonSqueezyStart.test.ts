import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../src/server/freePort.js';
import { payLemonSqueezyCheckout } from './lemonSqueezyCheckout.js';
import { startServerProcess } from './startServerProcess.js';

// `PAYMENTS_PROCESSOR=lemonsqueezy npm start` runs the whole flow offline against the local emulator.
const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-ls-'));
chmodSync(dataDir, 0o755); // PostgreSQL, run as its own user when we are root, must reach it
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Response bodies are JSON of the operations' documented shapes.
async function post(url: string, body: unknown, cookie?: string): Promise<{ status: number; body: any; cookie?: string }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie && { cookie }) }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json(), cookie: res.headers.getSetCookie()[0]?.split(';')[0] };
}

it('subscribes to pro and buys credits on the Lemon Squeezy emulator’s hosted checkout; the portal still opens after a restart', async () => {
  const env = { DATA_DIR: dataDir, PORT: String(await freePort()), PAYMENTS_PROCESSOR: 'lemonsqueezy' };
  let server = await startServerProcess(env);
  try {
    expect(server.output()).toMatch(/payments: lemonsqueezy, through the local Lemon Squeezy emulator/);
    const signup = await post(`${server.url}/auth/signup`, { email: 'ls-owner@example.com', password: 'a long password' });
    const cookie = signup.cookie!;
    const workspaceId = signup.body.workspaces[0].id;

    for (const planId of ['pro', 'credits10']) {
      const checkout = await post(`${server.url}/operations/generateCheckoutSession`, { workspaceId, planId }, cookie);
      expect(checkout.status).toBe(200);
      expect(await payLemonSqueezyCheckout(checkout.body.sessionUrl, 'ls-owner@example.com')).toBe(303);
    }

    let billing: { subscriptionStatus: string | null; credits: number } = { subscriptionStatus: null, credits: 0 };
    for (let i = 0; i < 80 && !(billing.subscriptionStatus === 'active' && billing.credits === 10); i++) {
      await new Promise((r) => setTimeout(r, 250));
      billing = (await post(`${server.url}/operations/getWorkspaceBilling`, { workspaceId }, cookie)).body;
    }
    expect(billing).toMatchObject({ processor: 'lemonsqueezy', plan: 'pro', subscriptionStatus: 'active', credits: 10 });
    const portal = await post(`${server.url}/operations/getCustomerPortalUrl`, { workspaceId }, cookie);
    expect(portal.body.url).toMatch(/\/portal\/\d+\?expires=\d+&signature=/);

    await server.stop();
    server = await startServerProcess(env);
    const again = await post(`${server.url}/operations/getCustomerPortalUrl`, { workspaceId }, cookie);
    expect(again.status).toBe(200);
    expect((await fetch(again.body.url)).status).toBe(200);
  } finally {
    await server.stop();
  }
});
