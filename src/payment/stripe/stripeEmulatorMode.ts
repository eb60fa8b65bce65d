import { loadCoreEnv } from '../../config/env.js';
import { startStripeEmulator, type StripeEmulator } from '../../emulators/stripe/index.js';
import { allPlans } from '../plans.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { createStripeProcessor, type StripeDriver } from './stripeProcessor.js';

// The emulator accepts any test key; the secret only has to match between it and the driver.
const EMULATOR_API_KEY = 'sk_test_local_emulator';
const EMULATOR_WEBHOOK_SECRET = 'whsec_local_emulator';
const EMULATED_PRICE_IDS = Object.fromEntries(allPlans.map((plan) => [plan.id, `price_${plan.id}`]));

export interface EmulatedStripeDriver extends StripeDriver {
  emulator: StripeEmulator;
}

/**
 * The registry's factory: Stripe itself when STRIPE_API_KEY is set, otherwise a local Stripe emulator
 * (started here, stopped by close()) that the same driver and the real SDK talk to over HTTP.
 */
export async function createStripeProcessorFromEnv(env: NodeJS.ProcessEnv): Promise<StripeDriver> {
  if (env.STRIPE_API_KEY) return createStripeProcessor(env);
  const port = env.STRIPE_EMULATOR_PORT ? Number(env.STRIPE_EMULATOR_PORT) : undefined;
  return startEmulatedStripe(env, { webhookUrl: `${loadCoreEnv(env).APP_URL}/payments-webhook`, port });
}

export async function startEmulatedStripe(env: NodeJS.ProcessEnv, options: { webhookUrl?: string; port?: number } = {}): Promise<EmulatedStripeDriver> {
  // Resolved before seeding, so price ids set by hand in PAYMENTS_*_PLAN_ID exist in the emulator too.
  const planIds = loadProcessorPlanIds(env, EMULATED_PRICE_IDS);
  const emulator = await startStripeEmulator({
    port: options.port,
    webhookUrl: options.webhookUrl,
    webhookSecret: EMULATOR_WEBHOOK_SECRET,
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
