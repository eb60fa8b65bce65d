import { z } from 'zod';
import { collectEnvProblems, EnvError, parseEnv } from '../../config/parseEnv.js';
import { requiredInProduction } from '../../config/requiredInProduction.js';
import { allPlans } from '../plans.js';
import { loadProcessorPlanIds, type ProcessorPlanIds } from '../processorPlanIds.js';

/** Everything the Lemon Squeezy driver needs, resolved: env read, overrides applied, plan ids mapped. */
export interface LemonSqueezySettings {
  /** The store's API key. Never logged, never in an error message. */
  apiKey: string;
  /** The numeric id of the store checkouts are created in. */
  storeId: string;
  /** The webhook's signing secret (X-Signature is HMAC-SHA256 of the raw body with it). */
  webhookSecret: string;
  /**
   * Another origin for the API (a local emulator, a test server), e.g. http://127.0.0.1:12112. Unset:
   * https://api.lemonsqueezy.com, and no fetch wrapper is installed (see apiOrigin.ts).
   */
  apiUrl?: string;
  /** The plans' PAYMENTS_*_PLAN_ID, read as Lemon Squeezy variant ids. */
  planIds: ProcessorPlanIds;
  /** How long to wait for one API answer (the SDK has no timeout of its own). */
  timeoutMs: number;
}

/**
 * What code (rather than env) may decide: the emulator wiring passes its own origin, key, store,
 * secret and seeded variant ids; tests point the SDK at a local server. An override wins over its
 * variable.
 */
export interface LemonSqueezyOverrides {
  apiKey?: string;
  storeId?: string;
  webhookSecret?: string;
  /** Variant ids for plans whose PAYMENTS_*_PLAN_ID is unset (an emulator's seeded catalog). */
  planIdDefaults?: Partial<Record<string, string>>;
  apiUrl?: string;
  timeoutMs?: number;
}

export const LEMONSQUEEZY_DEFAULT_TIMEOUT_MS = 20_000;

const apiKeySchema = z.string().trim().regex(/^\S+$/, 'must be a Lemon Squeezy API key (one token, no spaces)');
const storeIdSchema = z.string().trim().regex(/^\d+$/, 'must be the numeric store id (Settings → Stores in Lemon Squeezy)');
export const webhookSecretSchema = z.string().min(6, "must be the webhook's signing secret (at least 6 characters)");
const apiUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:12112' })
  .refine((value) => {
    const url = new URL(value);
    return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
  }, 'must be an origin only (scheme, host, port), without a path, query or credentials');
// Lemon Squeezy ids are integers; webhooks carry variant_id as a number, so any other id could never match.
const VARIANT_ID = /^\d+$/;

export const lemonSqueezyEnvSchema = z
  .object({
    LEMONSQUEEZY_API_KEY: apiKeySchema.optional(),
    LEMONSQUEEZY_STORE_ID: storeIdSchema.optional(),
    LEMONSQUEEZY_WEBHOOK_SECRET: webhookSecretSchema.optional(),
  })
  .superRefine((env, ctx) => {
    if (!env.LEMONSQUEEZY_API_KEY) return;
    if (!env.LEMONSQUEEZY_STORE_ID) {
      ctx.addIssue({ code: 'custom', path: ['LEMONSQUEEZY_STORE_ID'], message: 'required when LEMONSQUEEZY_API_KEY is set (the numeric store id)' });
    }
    if (!env.LEMONSQUEEZY_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['LEMONSQUEEZY_WEBHOOK_SECRET'], message: "required when LEMONSQUEEZY_API_KEY is set (the webhook's signing secret)" });
    }
  });

/**
 * Reads and validates the LEMONSQUEEZY_* variables and the plans' PAYMENTS_*_PLAN_ID (variant ids).
 * Every problem is reported at once, each naming its variable; no value is ever echoed.
 */
export function loadLemonSqueezySettings(env: NodeJS.ProcessEnv, overrides: LemonSqueezyOverrides = {}): LemonSqueezySettings {
  const problems: string[] = [];
  const parsed = collectEnvProblems(problems, () => parseEnv(lemonSqueezyEnvSchema, env));
  const planIds = collectEnvProblems(problems, () => loadProcessorPlanIds(env, overrides.planIdDefaults));
  if (planIds) problems.push(...variantIdProblems(planIds));
  if (!parsed || !planIds) throw new EnvError(problems);

  const apiKey = overrides.apiKey ?? parsed.LEMONSQUEEZY_API_KEY;
  const storeId = overrides.storeId ?? parsed.LEMONSQUEEZY_STORE_ID;
  const webhookSecret = overrides.webhookSecret ?? parsed.LEMONSQUEEZY_WEBHOOK_SECRET;
  if (!apiKey) problems.push('LEMONSQUEEZY_API_KEY is required');
  if (!storeId) problems.push('LEMONSQUEEZY_STORE_ID is required');
  if (!webhookSecret) problems.push('LEMONSQUEEZY_WEBHOOK_SECRET is required');
  if (overrides.storeId !== undefined && !storeIdSchema.safeParse(overrides.storeId).success) problems.push('storeId override: must be a numeric store id');
  if (overrides.apiUrl !== undefined && !apiUrlSchema.safeParse(overrides.apiUrl).success) {
    problems.push('apiUrl override: must be an http(s) origin such as http://127.0.0.1:12112');
  }
  if (problems.length > 0 || !apiKey || !storeId || !webhookSecret) throw new EnvError(problems);

  return {
    apiKey,
    storeId,
    webhookSecret,
    ...(overrides.apiUrl !== undefined && { apiUrl: new URL(overrides.apiUrl).origin }),
    planIds,
    timeoutMs: overrides.timeoutMs ?? LEMONSQUEEZY_DEFAULT_TIMEOUT_MS,
  };
}

function variantIdProblems(planIds: ProcessorPlanIds): string[] {
  return allPlans.filter((plan) => !VARIANT_ID.test(planIds.toProcessor(plan.id))).map((plan) => `${plan.processorPlanIdEnv}: must be a Lemon Squeezy variant id (digits)`);
}

/** What production mode needs from Lemon Squeezy: the real API (not the local emulator) and its webhook secret. */
export function lemonSqueezyProductionProblems(env: NodeJS.ProcessEnv): string[] {
  return requiredInProduction(env, {
    LEMONSQUEEZY_API_KEY: 'without it the local Lemon Squeezy emulator would take the payments',
    LEMONSQUEEZY_WEBHOOK_SECRET: "the webhook's signing secret that deliveries are verified with",
  });
}
