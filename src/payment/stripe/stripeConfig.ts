import { z } from 'zod';
import { collectEnvProblems, EnvError, parseEnv } from '../../config/parseEnv.js';
import { requiredInProduction } from '../../config/requiredInProduction.js';
import { loadProcessorPlanIds, type ProcessorPlanIds } from '../processorPlanIds.js';

/** Everything the Stripe driver needs, resolved: env read, overrides applied, plan ids mapped. */
export interface StripeSettings {
  /** Secret (sk_...) or restricted (rk_...) key. Never logged, never in an error message. */
  apiKey: string;
  /** The webhook endpoint's signing secret (whsec_...). */
  webhookSecret: string;
  /** Another origin for the API (a local emulator, a test server), e.g. http://127.0.0.1:12111; unset: api.stripe.com. */
  apiUrl?: string;
  /** STRIPE_AUTOMATIC_TAX: Stripe Tax computes tax in checkout. */
  automaticTax: boolean;
  /** STRIPE_CUSTOMER_PORTAL_URL: used only when Stripe has no portal configuration to create a session with. */
  customerPortalFallbackUrl?: string;
  planIds: ProcessorPlanIds;
  /** The SDK's retries of connection errors, 409 and 5xx (same Idempotency-Key on each). */
  maxNetworkRetries: number;
  timeoutMs: number;
}

/**
 * What code (rather than env) may decide: the emulator wiring passes its own origin, key, secret and
 * seeded price ids; tests point the SDK at a local server. An override wins over the variable.
 */
export interface StripeOverrides {
  apiUrl?: string;
  apiKey?: string;
  webhookSecret?: string;
  /** Price ids to use for plans whose PAYMENTS_*_PLAN_ID is unset (an emulator's seeded catalog). */
  planIdDefaults?: Partial<Record<string, string>>;
  maxNetworkRetries?: number;
  timeoutMs?: number;
}

const apiKeySchema = z.string().trim().regex(/^(sk|rk)_[A-Za-z0-9_]+$/, 'must be a Stripe secret key (sk_...) or restricted key (rk_...), not a publishable key');
export const webhookSecretSchema = z.string().trim().regex(/^whsec_\S+$/, "must be the webhook endpoint's signing secret (whsec_...)");
const apiUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://127.0.0.1:12111' })
  .refine((value) => {
    const url = new URL(value);
    return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username && !url.password;
  }, 'must be an origin only (scheme, host, port), without a path, query or credentials');

export const stripeEnvSchema = z
  .object({
    STRIPE_API_KEY: apiKeySchema.optional(),
    STRIPE_WEBHOOK_SECRET: webhookSecretSchema.optional(),
    STRIPE_API_URL: apiUrlSchema.optional(),
    STRIPE_AUTOMATIC_TAX: z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).default('false'),
    STRIPE_CUSTOMER_PORTAL_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.STRIPE_API_KEY && !env.STRIPE_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['STRIPE_WEBHOOK_SECRET'], message: 'required when STRIPE_API_KEY is set (the endpoint signing secret, whsec_...)' });
    }
  });

export const STRIPE_DEFAULT_MAX_NETWORK_RETRIES = 2;
export const STRIPE_DEFAULT_TIMEOUT_MS = 20_000;

/**
 * Reads and validates the STRIPE_* variables and the plans' PAYMENTS_*_PLAN_ID (price ids). Every
 * problem is reported at once, each naming its variable; no value is ever echoed.
 */
export function loadStripeSettings(env: NodeJS.ProcessEnv, overrides: StripeOverrides = {}): StripeSettings {
  const problems: string[] = [];
  const parsed = collectEnvProblems(problems, () => parseEnv(stripeEnvSchema, env));
  const planIds = collectEnvProblems(problems, () => loadProcessorPlanIds(env, overrides.planIdDefaults));
  if (!parsed || !planIds) throw new EnvError(problems);

  const apiKey = overrides.apiKey ?? parsed.STRIPE_API_KEY;
  const webhookSecret = overrides.webhookSecret ?? parsed.STRIPE_WEBHOOK_SECRET;
  if (!apiKey) problems.push('STRIPE_API_KEY is required');
  if (!webhookSecret) problems.push('STRIPE_WEBHOOK_SECRET is required');
  const apiUrl = overrides.apiUrl ?? parsed.STRIPE_API_URL;
  if (overrides.apiUrl !== undefined && !apiUrlSchema.safeParse(overrides.apiUrl).success) {
    problems.push('apiUrl override: must be an http(s) origin such as http://127.0.0.1:12111');
  }
  if (problems.length > 0 || !apiKey || !webhookSecret) throw new EnvError(problems);

  return {
    apiKey,
    webhookSecret,
    ...(apiUrl !== undefined && { apiUrl }),
    automaticTax: parsed.STRIPE_AUTOMATIC_TAX === 'true',
    ...(parsed.STRIPE_CUSTOMER_PORTAL_URL !== undefined && { customerPortalFallbackUrl: parsed.STRIPE_CUSTOMER_PORTAL_URL }),
    planIds,
    maxNetworkRetries: overrides.maxNetworkRetries ?? STRIPE_DEFAULT_MAX_NETWORK_RETRIES,
    timeoutMs: overrides.timeoutMs ?? STRIPE_DEFAULT_TIMEOUT_MS,
  };
}

/** What production mode needs from Stripe: the real API (not the local emulator) and its webhook secret. */
export function stripeProductionProblems(env: NodeJS.ProcessEnv): string[] {
  return requiredInProduction(env, {
    STRIPE_API_KEY: 'without it the local Stripe emulator would take the payments',
    STRIPE_WEBHOOK_SECRET: "the endpoint's signing secret (whsec_...) that webhooks are verified with",
  });
}
