import path from 'node:path';
import { z } from 'zod';
import { loadCoreEnv } from '../../config/env.js';
import { parseEnv } from '../../config/parseEnv.js';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/index.js';
import { allPlans } from '../plans.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { createStripeProcessor, type StripeDriver } from './stripeProcessor.js';

// The emulator accepts any test key; the secret only has to match between it and the driver.
const EMULATOR_API_KEY = 'sk_test_local_emulator';
const EMULATOR_WEBHOOK_SECRET = 'whsec_local_emulator';
const EMULATED_PRICE_IDS = Object.fromEntries(allPlans.map((plan) => [plan.id, `price_${plan.id}`]));

const emulatorEnvSchema = z.object({ STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional() });

export interface EmulatedStripeDriver extends StripeDriver {
  emulator: StripeEmulator;
}

/**
 * The registry's factory: Stripe itself when STRIPE_API_KEY is set, otherwise a local Stripe emulator
 * (started here, stopped by close()) that the same driver and the real SDK talk to over HTTP. Its state
 * is kept in DATA_DIR/stripe-emulator.json, beside the app's data, so both survive a restart together.
 */
export async function createStripeProcessorFromEnv(env: NodeJS.ProcessEnv): Promise<StripeDriver> {
  if (env.STRIPE_API_KEY) return createStripeProcessor(env);
  const { STRIPE_EMULATOR_PORT: port } = parseEnv(emulatorEnvSchema, env);
  const core = loadCoreEnv(env);
  return startEmulatedStripe(env, {
    webhookUrl: `${core.APP_URL}/payments-webhook`,
    port,
    stateFile: path.join(core.DATA_DIR, 'stripe-emulator.json'),
  });
}

/** Starts the emulator and a driver for it; in memory only unless `stateFile` is given. */
export async function startEmulatedStripe(
  env: NodeJS.ProcessEnv,
  options: { webhookUrl?: string; port?: number; stateFile?: string } = {},
): Promise<EmulatedStripeDriver> {
  // Resolved before seeding, so price ids set by hand in PAYMENTS_*_PLAN_ID exist in the emulator too.
  const planIds = loadProcessorPlanIds(env, EMULATED_PRICE_IDS);
  const emulator = await startStripeEmulator({
    port: options.port,
    webhookUrl: options.webhookUrl,
    webhookSecret: EMULATOR_WEBHOOK_SECRET,
    stateFile: options.stateFile,
    prices: allPlans.map((plan) => ({
      id: planIds.toProcessor(plan.id),
      productName: plan.name,
      unitAmount: plan.price.amount,
      currency: plan.price.currency,
      interval: 'interval' in plan.price ? plan.price.interval : undefined,
    })),
  });
  const driver = createStripeProcessor(env, {
    apiUrl: emulator.url,
    apiKey: EMULATOR_API_KEY,
    webhookSecret: EMULATOR_WEBHOOK_SECRET,
    planIdDefaults: EMULATED_PRICE_IDS,
  });
  return {
    ...driver,
    emulator,
    describe: () => `stripe, through the local Stripe emulator at ${emulator.url} (set STRIPE_API_KEY to use Stripe itself)`,
    close: () => emulator.stop(),
  };
}
