import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/server/freePort.js';
import { startServerProcess } from './startServerProcess.js';

// NODE_ENV=production: `npm start` refuses every development default it was not given, all named at
// once; given real settings it starts without any of them and shows strangers nothing but { ok }.
const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-prod-'));
chmodSync(dataDir, 0o755); // run as root, PostgreSQL runs as its own user
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('npm start with NODE_ENV=production', () => {
  it('refuses the development defaults, naming every problem at once', async () => {
    const refused = await startServerProcess({ NODE_ENV: 'production', DATA_DIR: dataDir, APP_URL: 'http://billing.example.com' }).catch((e: Error) => e.message);
    expect(refused).toMatch(/exited with 1/);
    for (const problem of [
      /STRIPE_API_KEY is required in production: without it the local Stripe emulator would take the payments/,
      /STRIPE_WEBHOOK_SECRET is required in production/,
      /SMTP_HOST is required in production: without it email would be captured locally instead of sent/,
      /APP_URL must be an https:\/\/ URL in production/,
      /DATABASE_URL is required in production \(or DATABASE_EMBEDDED=durable/,
    ]) {
      expect(refused).toMatch(problem);
    }
    expect(refused).not.toMatch(/listening on/);
  });

  it('refuses the fake processor and the Lemon Squeezy emulator alike', async () => {
    const fake = await startServerProcess({ NODE_ENV: 'production', PAYMENTS_PROCESSOR: 'fake', DATA_DIR: dataDir }).catch((e: Error) => e.message);
    expect(fake).toMatch(/the fake processor moves no money: choose a real one in production/);
    const lemon = await startServerProcess({ NODE_ENV: 'production', PAYMENTS_PROCESSOR: 'lemonsqueezy', DATA_DIR: dataDir }).catch((e: Error) => e.message);
    expect(lemon).toMatch(/LEMONSQUEEZY_API_KEY is required in production/);
    expect(lemon).toMatch(/LEMONSQUEEZY_WEBHOOK_SECRET is required in production/);
  });

  it('given real settings (and the embedded PostgreSQL asked for), starts with none of the defaults and keeps details to itself', async () => {
    const port = await freePort();
    const server = await startServerProcess({
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      APP_URL: 'https://billing.example.com',
      DATA_DIR: dataDir,
      DATABASE_EMBEDDED: 'durable',
      // Nothing is sent at start-up: a key and a mail host that are never reached are enough here.
      STRIPE_API_KEY: 'sk_test_production_mode_e2e',
      STRIPE_WEBHOOK_SECRET: 'whsec_production_mode_e2e',
      PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID: 'price_hobby',
      PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'price_pro',
      PAYMENTS_CREDITS_10_PLAN_ID: 'price_credits',
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(await freePort()),
    });
    try {
      expect(server.output()).toMatch(/mode: production/);
      expect(server.output()).not.toMatch(/emulator|SMTP capture/);
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ ok: true });
      expect(health.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect((await fetch(`${server.url}/dev/emails`)).status).toBe(404);
    } finally {
      await server.stop();
    }
    expect(server.output()).toContain('Billing server stopped cleanly');
  });
});
