import path from 'node:path';
import { z } from 'zod';
import { loadCoreEnv } from '../../config/env.js';
import { parseEnv } from '../../config/parseEnv.js';
import { emulatorWebhookSecret } from '../../emulators/emulatorWebhookSecret.js';
import { runningEmulatorUrl } from '../../emulators/stateFile.js';
import { startStripeEmulator, type StripeEmulator } from './emulator/index.js';
import { allPlans } from '../plans.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { webhookUrlOf } from '../webhookEndpointCheck.js';
import type { ProcessorLoadOptions } from '../processorModule.js';
import { webhookSecretSchema } from './stripeConfig.js';
import { createStripeProcessor, type StripeDriver } from './stripeProcessor.js';

// The emulator accepts any test key (it is no secret); the webhook secret is emulatorWebhookSecret's.
const EMULATOR_API_KEY = 'sk_test_local_emulator';
const EMULATED_PRICE_IDS = Object.fromEntries(allPlans.map((plan) => [plan.id, `price_${plan.id}`]));

const emulatorEnvSchema = z.object({
  STRIPE_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_WEBHOOK_SECRET: webhookSecretSchema.optional(),
});

export interface EmulatedStripeDriver extends StripeDriver {
  emulator: StripeEmulator;
}

/**
 * Stripe without STRIPE_API_KEY (development): a local Stripe emulator (started here, stopped by close())
 * that the same driver and the real SDK talk to over HTTP. Its state is kept in
 * DATA_DIR/stripe-emulator.json, beside the app's data, so both survive a restart together. The registry
 * loads this module only then (processors.ts), so production code never imports an emulator.
 */
export async function createEmulatedStripeFromEnv(env: NodeJS.ProcessEnv, options: ProcessorLoadOptions = {}): Promise<StripeDriver> {
  const { STRIPE_EMULATOR_PORT: port } = parseEnv(emulatorEnvSchema, env);
  const core = loadCoreEnv(env);
  const stateFile = path.join(core.DATA_DIR, 'stripe-emulator.json');
  const secretFile = path.join(core.DATA_DIR, 'stripe-webhook-secret');
  // A shell command beside the running server shares the server's emulator (and so its secret).
  const running = options.shell ? await runningEmulatorUrl(stateFile) : null;
  if (running) {
    const driver = emulatorDriver(env, running, webhookSecretOf(env, secretFile));
    return { ...driver, describe: () => `stripe, through the server's local Stripe emulator at ${running}` };
  }
  return startEmulatedStripe(env, {
    webhookUrl: webhookUrlOf(core.APP_URL, options.webhookPath),
    port,
    stateFile,
    secretFile,
  });
}

/** Starts the emulator and a driver for it; in memory only unless `stateFile` is given. */
export async function startEmulatedStripe(
  env: NodeJS.ProcessEnv,
  // timeoutMs: how long the driver waits for one API answer (reliability tests make it short).
  // secretFile: where the webhook secret is kept when STRIPE_WEBHOOK_SECRET is unset (else random per process).
  options: { webhookUrl?: string; port?: number; stateFile?: string; secretFile?: string; timeoutMs?: number } = {},
): Promise<EmulatedStripeDriver> {
  // Resolved before seeding, so price ids set by hand in PAYMENTS_*_PLAN_ID exist in the emulator too.
  const planIds = loadProcessorPlanIds(env, EMULATED_PRICE_IDS);
  const webhookSecret = webhookSecretOf(env, options.secretFile);
  const emulator = await startStripeEmulator({
    port: options.port,
    webhookUrl: options.webhookUrl,
    webhookSecret,
    stateFile: options.stateFile,
    prices: allPlans.map((plan) => ({
      id: planIds.toProcessor(plan.id),
      productName: plan.name,
      unitAmount: plan.price.amount,
      currency: plan.price.currency,
      interval: 'interval' in plan.price ? plan.price.interval : undefined,
    })),
  });
  const driver = emulatorDriver(env, emulator.url, webhookSecret, options.timeoutMs);
  return {
    ...driver,
    emulator,
    describe: () => `stripe, through the local Stripe emulator at ${emulator.url} (set STRIPE_API_KEY to use Stripe itself)`,
    close: () => emulator.stop(),
  };
}

/** STRIPE_WEBHOOK_SECRET (validated) when set, else the one kept in `file` (see emulatorWebhookSecret). */
function webhookSecretOf(env: NodeJS.ProcessEnv, file: string | undefined): string {
  return emulatorWebhookSecret({ configured: parseEnv(emulatorEnvSchema, env).STRIPE_WEBHOOK_SECRET, file, prefix: 'whsec_' });
}

/** The driver of a local emulator at `url` (one this process started, or the server's). */
function emulatorDriver(env: NodeJS.ProcessEnv, url: string, webhookSecret: string, timeoutMs?: number): StripeDriver {
  return { ...createStripeProcessor(env, { apiUrl: url, apiKey: EMULATOR_API_KEY, webhookSecret, planIdDefaults: EMULATED_PRICE_IDS, timeoutMs }), emulated: true };
}
