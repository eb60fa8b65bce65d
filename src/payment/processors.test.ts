import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../server/freePort.js';
import { createEventsProcessor } from '../test/eventsProcessor.js';
import type { PaymentProcessor } from './paymentProcessor.js';
import { activePaymentProcessors, envOfProcessor, loadPaymentProcessors, processorForDelivery, usePaymentProcessors, webhookRouteOf, workspaceProcessor } from './processors.js';
import { definePaymentProcessor } from './webhookHandler.js';

// Several processors at once: which one a workspace, a delivery and a webhook route belong to.
const fake = definePaymentProcessor(createEventsProcessor({}));
const other: PaymentProcessor = { ...definePaymentProcessor(createEventsProcessor({})), id: 'other', signatureHeader: 'x-other-signature' };

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('several processors', () => {
  it("a workspace keeps its own processor; one not billed yet gets the default; one the app no longer runs is a 409 naming it", () => {
    usePaymentProcessors([fake, other]);
    expect(workspaceProcessor({ paymentProcessor: null })).toBe(fake);
    expect(workspaceProcessor({ paymentProcessor: 'other' })).toBe(other);
    expect(() => workspaceProcessor({ paymentProcessor: 'gone' })).toThrow(
      expect.objectContaining({ statusCode: 409, message: expect.stringMatching(/billed through gone, which this app no longer runs \(it runs fake, other\): add it to PAYMENTS_PROCESSORS/) }),
    );
  });

  it('the plain /payments-webhook goes to the processor whose signature header a delivery carries, else to the default', () => {
    usePaymentProcessors([fake, other]);
    expect(processorForDelivery({ 'x-other-signature': 'v1' })).toBe(other);
    expect(processorForDelivery({ [fake.signatureHeader!]: 'v1' })).toBe(fake);
    expect(processorForDelivery({})).toBe(fake);
  });

  it('webhooks come to /payments-webhook while one processor runs, to /payments-webhook/<id> when several do', () => {
    usePaymentProcessors([other]);
    expect(webhookRouteOf(other)).toBe('/payments-webhook');
    usePaymentProcessors([fake, other]);
    expect(webhookRouteOf(fake)).toBe('/payments-webhook/fake');
    expect(webhookRouteOf(other)).toBe('/payments-webhook/other');
    expect(activePaymentProcessors()).toEqual([fake, other]);
  });

  it('PAYMENTS_<PLAN>_PLAN_ID_<PROCESSOR> gives one processor its own plan id', async () => {
    const [loaded] = await loadPaymentProcessors({ PAYMENTS_PROCESSORS: 'fake', PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'shared_pro', PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID_FAKE: 'fake_own_pro', PAYMENTS_HOBBY_SUBSCRIPTION_PLAN_ID_STRIPE: 'price_x' });
    expect(loaded!.planIds.toProcessor('pro')).toBe('fake_own_pro');
    expect(loaded!.planIds.toProcessor('hobby')).not.toBe('price_x');
    expect(envOfProcessor({ PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID: 'a', PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID_STRIPE: 'b' }, 'lemonsqueezy').PAYMENTS_PRO_SUBSCRIPTION_PLAN_ID).toBe('a');
  });

  it('if one processor cannot be loaded, those already started are stopped again', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'billing-processors-'));
    const port = await freePort();
    const env = { DATA_DIR: dir, PAYMENTS_PROCESSORS: 'stripe,fake', STRIPE_EMULATOR_PORT: String(port), FAKE_WEBHOOK_SECRET: 'abc' };
    await expect(loadPaymentProcessors(env)).rejects.toThrow(/FAKE_WEBHOOK_SECRET/);
    // The Stripe emulator the first processor started no longer listens.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket.destroy() && false));
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
