import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/server/freePort.js';
import { runScript as runOperatorScript } from './runScript.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';

// The operator's shell commands beside a running `npm start` on the embedded defaults: they share its
// PostgreSQL and its Stripe emulator. A credit pack whose webhooks the emulator lost is repaired by
// `npm run billing:reconcile`, once.
const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-operators-'));
chmodSync(dataDir, 0o755); // PostgreSQL runs as its own user when we are root
const env = { DATA_DIR: dataDir, PORT: String(await freePort()) };
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const runScript = (script: string) => runOperatorScript(script, env);

async function post(url: string, body: unknown, cookie?: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie && { cookie }) }, body: JSON.stringify(body) });
  return { status: res.status, body: JSON.parse(await res.text()), cookie: res.headers.getSetCookie()[0]?.split(';')[0] };
}

describe('npm run billing:reconcile and billing:replay beside npm start', () => {
  let server: ServerProcess;
  afterAll(() => server?.stop());

  it('repairs a credit pack whose webhooks were lost, once; a second run and the late webhooks change nothing', async () => {
    server = await startServerProcess(env);
    const emulator = /local Stripe emulator at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())![1]!;
    const signup = await post(`${server.url}/auth/signup`, { email: 'owner@example.com', password: 'a long password' });
    const [cookie, workspaceId] = [signup.cookie!, signup.body.workspaces[0].id as string];
    const billing = async () => (await post(`${server.url}/operations/getWorkspaceBilling`, { workspaceId }, cookie)).body;

    const checkout = await post(`${server.url}/operations/generateCheckoutSession`, { workspaceId, planId: 'credits10' }, cookie);
    expect(checkout.status).toBe(200);
    await post(`${emulator}/_emulator/drop-deliveries`, { drop: true, customer: (await billing()).customerId });
    await post(`${emulator}/_emulator/complete-checkout`, { sessionId: checkout.body.sessionId });
    await post(`${emulator}/_emulator/idle`, {});
    const { dropped } = (await post(`${emulator}/_emulator/drop-deliveries`, { drop: false })).body as { dropped: string[] };
    expect(dropped.length).toBeGreaterThan(0);
    expect((await billing()).credits).toBe(0);

    const first = await runScript('billing:reconcile');
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('{"unchanged":0,"repaired":1,"failed":0}');
    expect(first.output).toMatch(new RegExp(`repaired ${workspaceId}: payment.succeeded pi_`));
    expect((await billing()).credits).toBe(10);
    const second = await runScript('billing:reconcile');
    expect(second.output).toContain('{"unchanged":1,"repaired":0,"failed":0}');

    for (const eventId of dropped) await post(`${emulator}/_emulator/redeliver`, { eventId });
    expect((await billing()).credits).toBe(10);
    const replay = await runScript('billing:replay');
    expect(replay.code, replay.output).toBe(0);
    await expect
      .poll(async () => ((await (await fetch(`${server.url}/dev/emails`, { headers: { cookie } })).json()) as { subject: string }[]).map((e) => e.subject), { timeout: 15_000 })
      .toEqual([expect.stringMatching(/credits/i)]);
  });
});

describe('the billing commands in production mode', () => {
  it('refuse the development defaults as npm start does, naming each, and start nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-operators-production-'));
    try {
      for (const script of ['billing:replay', 'billing:reconcile', 'billing:webhook-endpoint']) {
        const { code, output } = await runOperatorScript(script, { DATA_DIR: dir, NODE_ENV: 'production' });
        expect(code, output).toBe(1);
        for (const variable of ['STRIPE_API_KEY', 'SMTP_HOST', 'APP_URL', 'DATABASE_URL']) expect(output).toContain(variable);
        expect(existsSync(path.join(dir, 'stripe-emulator.json'))).toBe(false);
        expect(existsSync(path.join(dir, 'postgres'))).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
