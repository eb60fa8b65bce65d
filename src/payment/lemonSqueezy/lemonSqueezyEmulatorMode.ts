import path from 'node:path';
import { z } from 'zod';
import { loadCoreEnv } from '../../config/env.js';
import { parseEnv } from '../../config/parseEnv.js';
import { startLemonSqueezyEmulator, type LemonSqueezyEmulator } from './emulator/index.js';
import { emulatorWebhookSecret } from '../../emulators/emulatorWebhookSecret.js';
import { runningEmulatorUrl } from '../../emulators/stateFile.js';
import { allPlans } from '../plans.js';
import { loadProcessorPlanIds } from '../processorPlanIds.js';
import { webhookUrlOf } from '../webhookEndpointCheck.js';
import type { ProcessorLoadOptions } from '../processorModule.js';
import { webhookSecretSchema } from './lemonSqueezyConfig.js';
import { createLemonSqueezyProcessor, type LemonSqueezyDriver } from './lemonSqueezyProcessor.js';

// The emulator accepts any key (it is no secret); the webhook secret is emulatorWebhookSecret's. Lemon
// Squeezy ids are numbers, so the seeded store and variants get numeric ids.
const EMULATOR_API_KEY = 'ls_local_emulator_key';
const EMULATOR_STORE_ID = '1';
const EMULATED_VARIANT_IDS = Object.fromEntries(allPlans.map((plan, index) => [plan.id, String(1001 + index)]));

const emulatorEnvSchema = z.object({
  LEMONSQUEEZY_EMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LEMONSQUEEZY_WEBHOOK_SECRET: webhookSecretSchema.optional(),
});

export interface EmulatedLemonSqueezyDriver extends LemonSqueezyDriver {
  emulator: LemonSqueezyEmulator;
}

/**
 * Lemon Squeezy without LEMONSQUEEZY_API_KEY (development): a local emulator (started here, stopped by
 * close()); the SDK reaches it through the driver's origin redirect. Its state is kept in
 * DATA_DIR/lemonsqueezy-emulator.json, beside the app's data, so both survive a restart together. The
 * registry loads this module only then (processors.ts), so production code never imports an emulator.
 */
export async function createEmulatedLemonSqueezyFromEnv(env: NodeJS.ProcessEnv, options: ProcessorLoadOptions = {}): Promise<LemonSqueezyDriver> {
  const { LEMONSQUEEZY_EMULATOR_PORT: port } = parseEnv(emulatorEnvSchema, env);
  const core = loadCoreEnv(env);
  const stateFile = path.join(core.DATA_DIR, 'lemonsqueezy-emulator.json');
  const secretFile = path.join(core.DATA_DIR, 'lemonsqueezy-webhook-secret');
  // A shell command beside the running server shares the server's emulator (and so its secret).
  const running = options.shell ? await runningEmulatorUrl(stateFile) : null;
  if (running) {
    const driver = emulatorDriver(env, running, webhookSecretOf(env, secretFile));
    return { ...driver, describe: () => `lemonsqueezy, through the server's local Lemon Squeezy emulator at ${running}` };
  }
  return startEmulatedLemonSqueezy(env, {
    webhookUrl: webhookUrlOf(core.APP_URL, options.webhookPath),
    port,
    stateFile,
    secretFile,
  });
}

/** Starts the emulator and a driver for it; in memory only unless `stateFile` is given. */
export async function startEmulatedLemonSqueezy(
  env: NodeJS.ProcessEnv,
  // timeoutMs: how long the driver waits for one API answer (reliability tests make it short).
  // secretFile: where the webhook secret is kept when LEMONSQUEEZY_WEBHOOK_SECRET is unset (else random per process).
  options: { webhookUrl?: string; port?: number; stateFile?: string; secretFile?: string; timeoutMs?: number } = {},
): Promise<EmulatedLemonSqueezyDriver> {
  // Resolved before seeding, so variant ids set by hand in PAYMENTS_*_PLAN_ID exist in the emulator too.
  const planIds = loadProcessorPlanIds(env, EMULATED_VARIANT_IDS);
  const webhookSecret = webhookSecretOf(env, options.secretFile);
  const emulator = await startLemonSqueezyEmulator({
    port: options.port,
    storeId: EMULATOR_STORE_ID,
    webhookUrl: options.webhookUrl,
    webhookSecret,
    stateFile: options.stateFile,
    variants: allPlans.map((plan) => ({
      id: planIds.toProcessor(plan.id),
      productName: plan.name,
      price: plan.price.amount,
      currency: plan.price.currency,
      interval: 'interval' in plan.price ? plan.price.interval : undefined,
      // Lemon Squeezy keeps trials on the variant: the emulated store is set up as plans.ts says.
      trialDays: plan.trialDays,
    })),
  });
  const driver = emulatorDriver(env, emulator.url, webhookSecret, options.timeoutMs);
  return {
    ...driver,
    emulator,
    describe: () => `lemonsqueezy, through the local Lemon Squeezy emulator at ${emulator.url} (set LEMONSQUEEZY_API_KEY to use Lemon Squeezy itself)`,
    close: () => emulator.stop(),
  };
}

/** LEMONSQUEEZY_WEBHOOK_SECRET (validated) when set, else the one kept in `file` (see emulatorWebhookSecret). */
function webhookSecretOf(env: NodeJS.ProcessEnv, file: string | undefined): string {
  return emulatorWebhookSecret({ configured: parseEnv(emulatorEnvSchema, env).LEMONSQUEEZY_WEBHOOK_SECRET, file, prefix: '' });
}

/** The driver of a local emulator at `url` (one this process started, or the server's). */
function emulatorDriver(env: NodeJS.ProcessEnv, url: string, webhookSecret: string, timeoutMs?: number): LemonSqueezyDriver {
  const driver = createLemonSqueezyProcessor(env, {
    apiUrl: url,
    apiKey: EMULATOR_API_KEY,
    storeId: EMULATOR_STORE_ID,
    webhookSecret,
    planIdDefaults: EMULATED_VARIANT_IDS,
    timeoutMs,
  });
  return { ...driver, emulated: true };
}
