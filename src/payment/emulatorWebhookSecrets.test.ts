import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmulatedLemonSqueezyFromEnv } from './lemonSqueezy/lemonSqueezyEmulatorMode.js';
import { lsOrder, lsWebhook, signLemonSqueezyDelivery } from './lemonSqueezy/testing/lemonSqueezyPayloads.js';
import type { ProcessorDriver } from './paymentProcessor.js';
import { createEmulatedStripeFromEnv } from './stripe/stripeEmulatorMode.js';
import { WebhookSignatureError } from './webhookErrors.js';

// The local emulators sign with the configured secret or one created once per DATA_DIR; the literals
// the source used to hold (anyone could sign with them) verify nothing any more.
const OLD_STRIPE_LITERAL = 'whsec_local_emulator';
const OLD_LEMON_SQUEEZY_LITERAL = 'ls_local_emulator_secret';

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-secrets-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A stand-in for the app's webhook route: keeps the raw body and headers of each delivery. */
async function webhookReceiver() {
  const received: { body: Buffer; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks), headers: req.headers });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { appUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** Has the emulator create a customer, and waits for its signed customer.created delivery. */
async function customerCreatedDelivery(driver: ProcessorDriver, received: { body: Buffer; headers: IncomingHttpHeaders }[]) {
  await driver.createCustomer!({ workspace: { id: `ws_${randomBytes(4).toString('hex')}`, name: 'Acme' }, email: 'owner@example.com' });
  for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(received).toHaveLength(1);
  return received[0]!;
}

const stripe = new Stripe('sk_test_verify_only');

describe('the Stripe emulator', () => {
  it('signs with STRIPE_WEBHOOK_SECRET when set, and the app verifies with it', async () => {
    const secret = `whsec_${randomBytes(16).toString('hex')}`;
    const { appUrl, received } = await webhookReceiver();
    const driver = await createEmulatedStripeFromEnv({ DATA_DIR: dataDir(), APP_URL: appUrl, STRIPE_WEBHOOK_SECRET: secret });
    try {
      const delivery = await customerCreatedDelivery(driver, received);
      const event = stripe.webhooks.constructEvent(delivery.body, String(delivery.headers['stripe-signature']), secret);
      expect(event.type).toBe('customer.created');
      await expect(driver.parseWebhook(delivery.body, delivery.headers)).resolves.toBeDefined();
    } finally {
      await driver.close?.();
    }
  });

  it('without it, signs with a random secret kept in DATA_DIR (mode 0600) across restarts; the old literal is refused', async () => {
    const dir = dataDir();
    const { appUrl, received } = await webhookReceiver();
    const first = await createEmulatedStripeFromEnv({ DATA_DIR: dir, APP_URL: appUrl });
    await first.close?.();
    const secretFile = path.join(dir, 'stripe-webhook-secret');
    const secret = readFileSync(secretFile, 'utf8');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);

    const restarted = await createEmulatedStripeFromEnv({ DATA_DIR: dir, APP_URL: appUrl });
    try {
      const delivery = await customerCreatedDelivery(restarted, received);
      expect(stripe.webhooks.constructEvent(delivery.body, String(delivery.headers['stripe-signature']), secret).type).toBe('customer.created');
      await expect(restarted.parseWebhook(delivery.body, delivery.headers)).resolves.toBeDefined();

      const forged = stripe.webhooks.generateTestHeaderString({ payload: delivery.body.toString(), secret: OLD_STRIPE_LITERAL });
      await expect(restarted.parseWebhook(delivery.body, { 'stripe-signature': forged })).rejects.toBeInstanceOf(WebhookSignatureError);
    } finally {
      await restarted.close?.();
    }
    expect(readFileSync(secretFile, 'utf8')).toBe(secret);
  });

  it('another DATA_DIR gets another secret', async () => {
    const secrets = [];
    for (const dir of [dataDir(), dataDir()]) {
      const driver = await createEmulatedStripeFromEnv({ DATA_DIR: dir });
      await driver.close?.();
      secrets.push(readFileSync(path.join(dir, 'stripe-webhook-secret'), 'utf8'));
    }
    expect(secrets[0]).not.toBe(secrets[1]);
  });
});

describe('the Lemon Squeezy emulator', () => {
  const payload = lsWebhook('order_created', lsOrder());

  it('verifies with LEMONSQUEEZY_WEBHOOK_SECRET when set, and refuses the old literal', async () => {
    const secret = randomBytes(16).toString('hex');
    const driver = await createEmulatedLemonSqueezyFromEnv({ DATA_DIR: dataDir(), LEMONSQUEEZY_WEBHOOK_SECRET: secret });
    try {
      const forged = signLemonSqueezyDelivery(payload, { secret: OLD_LEMON_SQUEEZY_LITERAL });
      await expect(driver.parseWebhook(Buffer.from(forged.body), forged.headers)).rejects.toBeInstanceOf(WebhookSignatureError);
      const signed = signLemonSqueezyDelivery(payload, { secret });
      // Past the signature check (what the mapping makes of this small payload is not the point here).
      const outcome = await driver.parseWebhook(Buffer.from(signed.body), signed.headers).catch((error: unknown) => error);
      expect(outcome).not.toBeInstanceOf(WebhookSignatureError);
    } finally {
      await driver.close?.();
    }
  });

  it('without it, keeps a random secret in DATA_DIR (mode 0600) that a restart reuses', async () => {
    const dir = dataDir();
    const secrets = [];
    for (let start = 0; start < 2; start++) {
      const driver = await createEmulatedLemonSqueezyFromEnv({ DATA_DIR: dir });
      await driver.close?.();
      secrets.push(readFileSync(path.join(dir, 'lemonsqueezy-webhook-secret'), 'utf8'));
    }
    expect(secrets[0]).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(secrets[1]).toBe(secrets[0]);
    expect(statSync(path.join(dir, 'lemonsqueezy-webhook-secret')).mode & 0o777).toBe(0o600);
  });
});
