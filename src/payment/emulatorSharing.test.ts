import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmulatedLemonSqueezyFromEnv, type EmulatedLemonSqueezyDriver } from './lemonSqueezy/lemonSqueezyEmulatorMode.js';
import type { ProcessorDriver } from './paymentProcessor.js';
import type { ProcessorLoadOptions } from './processorModule.js';
import { createEmulatedStripeFromEnv, type EmulatedStripeDriver } from './stripe/stripeEmulatorMode.js';

// An operator's shell command (billing:replay, billing:reconcile) beside `npm start` shares the server's
// local emulator instead of starting a second one on the same state file.
const factories: [string, (env: NodeJS.ProcessEnv, options?: ProcessorLoadOptions) => Promise<ProcessorDriver>][] = [
  ['stripe', createEmulatedStripeFromEnv],
  ['lemonsqueezy', createEmulatedLemonSqueezyFromEnv],
];

describe.each(factories)('%s emulator mode', (_name, load) => {
  it('a shell command uses the emulator the server runs on DATA_DIR; with none running it starts its own', async () => {
    // Nothing listens at APP_URL: the server's webhooks go nowhere in this test.
    const env = { DATA_DIR: mkdtempSync(path.join(tmpdir(), 'emulator-sharing-')), APP_URL: 'http://127.0.0.1:9' };
    const server = (await load(env)) as EmulatedStripeDriver | EmulatedLemonSqueezyDriver;
    try {
      await expect.poll(() => existsSync(path.join(env.DATA_DIR, `${_name}-emulator.json`))).toBe(true);
      const shell = await load(env, { shell: true });
      expect('emulator' in shell).toBe(false);
      expect(shell.close).toBeUndefined(); // closing the command leaves the server's emulator running
      expect(shell.describe?.()).toContain(`the server's local`);
      expect(shell.describe?.()).toContain(server.emulator.url);
      if ('stripe' in shell && server.createCustomer) {
        const customerId = await server.createCustomer({ workspace: { id: 'ws_shared', name: 'Shared' }, email: 'shared@example.com' });
        expect((await (shell as EmulatedStripeDriver).stripe.customers.retrieve(customerId)).id).toBe(customerId);
      }
    } finally {
      await server.close?.();
    }
    const alone = await load(env, { shell: true });
    try {
      expect('emulator' in alone).toBe(true);
    } finally {
      await alone.close?.();
      rmSync(env.DATA_DIR, { recursive: true, force: true });
    }
  });
});
