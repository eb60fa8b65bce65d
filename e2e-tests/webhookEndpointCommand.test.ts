import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startStripeEmulator, type StripeEmulator } from '../src/payment/stripe/emulator/index.js';
import { TEST_PRICES } from '../src/payment/stripe/emulator/testSupport.js';
import { freePort } from '../src/server/freePort.js';
import { runScript } from './runScript.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';

// `npm run billing:webhook-endpoint` against both emulators, and the start-up check with real keys: the
// server on a Stripe account (the emulator, reached as Stripe itself through STRIPE_API_URL) warns about
// the endpoint until the command has set it right.

const dirs: string[] = [];
const running: ServerProcess[] = [];
let emulator: StripeEmulator | undefined;
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop();
  await emulator?.stop();
  emulator = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function freshEnv(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-endpoint-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as its own user when we are root
  dirs.push(dir);
  const port = String(await freePort());
  return { DATA_DIR: dir, PORT: port, APP_URL: `http://localhost:${port}`, ...extra };
}

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess(env);
  running.push(server);
  return server;
}

describe('npm run billing:webhook-endpoint', () => {
  it.each([
    { processor: 'stripe', stale: /also sends \*, which the plugin acknowledges and ignores/, secret: /signing secret \(shown once\): (whsec_\w+)/, variable: 'STRIPE_WEBHOOK_SECRET' },
    { processor: 'lemonsqueezy', stale: /also sends license_key_created/, secret: /signing secret \(shown once\): ([0-9a-f]{40})/, variable: 'LEMONSQUEEZY_WEBHOOK_SECRET' },
  ])('$processor emulator beside npm start: narrows the endpoint for APP_URL, then leaves it; a new URL gets an endpoint and a secret shown once', async ({ processor, stale, secret, variable }) => {
    const env = await freshEnv({ PAYMENTS_PROCESSOR: processor });
    await start(env);

    const before = await runScript('billing:webhook-endpoint', env, ['--check']);
    expect(before.code, before.output).toBe(1);
    expect(before.output).toMatch(stale);

    const first = await runScript('billing:webhook-endpoint', env);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain(`${processor} webhook endpoint`);
    expect(first.output).toContain(`for ${env.APP_URL}/payments-webhook: updated`);
    expect(first.output).not.toMatch(/secret/);
    const after = await runScript('billing:webhook-endpoint', env, ['--check']);
    expect(after.code, after.output).toBe(0);
    expect(after.output).toContain('is right');
    expect((await runScript('billing:webhook-endpoint', env)).output).toContain(': unchanged');

    const live = { ...env, APP_URL: 'https://billing.example.com' };
    const created = await runScript('billing:webhook-endpoint', live);
    expect(created.code, created.output).toBe(0);
    expect(created.output).toContain('for https://billing.example.com/payments-webhook: created');
    expect(created.output).toMatch(secret);
    expect(created.output).toContain(`Set ${variable} to it`);
    const again = await runScript('billing:webhook-endpoint', live);
    expect(again.output).toContain(': unchanged');
    expect(again.output).not.toContain(secret.exec(created.output)![1]!);
  });

  it('with real keys: start-up warns while the endpoint differs, the command fixes it, the next start says it is right', async () => {
    const webhookSecret = `whsec_${randomBytes(16).toString('hex')}`;
    const port = String(await freePort());
    const appUrl = `http://localhost:${port}`;
    // A Stripe account whose endpoint for the app was made in the Dashboard: every event, the account's version.
    emulator = await startStripeEmulator({ webhookSecret, webhookUrl: `${appUrl}/payments-webhook`, prices: TEST_PRICES });
    const env = await freshEnv({
      PORT: port,
      APP_URL: appUrl,
      STRIPE_API_KEY: `sk_test_${randomBytes(12).toString('hex')}`,
      STRIPE_API_URL: emulator.url,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'price_hobby',
      PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_pro',
      PAYMENTS_CREDITS_10_PLAN_ID: 'price_credits10',
    });

    const server = await start(env);
    await expect.poll(() => server.output(), { timeout: 20_000 }).toMatch(/Webhook endpoint: Stripe webhook endpoint we_\w+ also sends \*/);
    expect(server.output()).not.toContain(env.STRIPE_API_KEY!);

    const fixed = await runScript('billing:webhook-endpoint', env);
    expect(fixed.code, fixed.output).toBe(0);
    expect(fixed.output).toMatch(/stripe webhook endpoint we_\w+ for .*: updated, API version \S+/);
    await server.stop();
    running.splice(0);

    const restarted = await start(env);
    await expect.poll(() => restarted.output(), { timeout: 20_000 }).toContain(`Webhook endpoint for ${appUrl}/payments-webhook: as the plugin needs`);
    expect(restarted.output()).not.toMatch(/Webhook endpoint: /);
  });
});
