import { loadCoreEnv } from '../../config/env.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { allPlans } from '../plans.js';
import type { ProcessorLoadOptions } from '../processorModule.js';
import { webhookUrlOf } from '../webhookEndpointCheck.js';
import { loadFakeConfig } from './fakeConfig.js';
import { createFakeProcessor } from './fakeProcessor.js';
import { startFakeEmulator, type FakeEmulator } from './emulator/index.js';

export interface EmulatedFakeDriver extends ProcessorDriver {
  emulator: FakeEmulator;
}

/**
 * The fake processor on its in-process emulator, delivering to the app's webhook route. The registry
 * imports this module only when it loads the fake (processorModule.ts), so production code never
 * imports an emulator. A real processor does this only without its API key.
 */
export async function createEmulatedFakeFromEnv(env: NodeJS.ProcessEnv, options: ProcessorLoadOptions): Promise<ProcessorDriver> {
  return startEmulatedFake(env, { webhookUrl: webhookUrlOf(loadCoreEnv(env).APP_URL, options.webhookPath) });
}

/** Starts the emulator, its catalog seeded from plans.ts under the configured price ids, and a driver for it. */
export function startEmulatedFake(env: NodeJS.ProcessEnv, options: { webhookUrl?: string } = {}): EmulatedFakeDriver {
  const config = loadFakeConfig(env);
  const emulator = startFakeEmulator({
    webhookSecret: config.webhookSecret,
    webhookUrl: options.webhookUrl,
    prices: allPlans.map((plan) => ({ id: config.planIds.toProcessor(plan.id), amount: plan.price.amount, currency: plan.price.currency })),
  });
  return {
    ...createFakeProcessor(config, emulator),
    emulator,
    emulated: true,
    describe: () => 'fake, on its in-process emulator (moves no money)',
    close: () => emulator.stop(),
  };
}
