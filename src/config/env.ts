import { z } from 'zod';
import { parseEnv } from './parseEnv.js';

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

// Only the variables the core reads; each processor validates its own (see src/payment/*/config.ts).
export const coreEnvSchema = z.object({
  // production: start-up refuses the development defaults (src/server/serverEnv.ts); anything else is development.
  NODE_ENV: z.string().default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  // Unset: 127.0.0.1 in development (a laptop's dev server is not for the network), every interface in production.
  HOST: z.string().trim().min(1).optional(),
  APP_URL: optionalUrl,
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }).optional(),
  // durable: production mode may run the embedded PostgreSQL (always fsync on) instead of DATABASE_URL.
  DATABASE_EMBEDDED: z.enum(['durable'], { error: "must be 'durable' (or unset)" }).optional(),
  DATA_DIR: z.string().default('.data'),
  PAYMENTS_PROCESSOR: z.string().default('stripe'),
  // Several at once, the default first (src/payment/processors.ts): e.g. stripe,lemonsqueezy.
  PAYMENTS_PROCESSORS: z.string().optional(),
  // Days a past_due subscription keeps access while the processor retries (src/payment/entitlement.ts).
  PAYMENTS_DUNNING_GRACE_DAYS: z.coerce.number({ error: 'must be a whole number of days' }).int('must be a whole number of days').min(0).max(90).default(7),
  // Minutes between the server's reconciliation passes (src/payment/reconciliation); unset: off.
  PAYMENTS_RECONCILE_INTERVAL_MINUTES: z.coerce
    .number({ error: 'must be a whole number of minutes' })
    .int('must be a whole number of minutes')
    .min(1, 'must be at least 1 (unset it to turn reconciliation off)')
    .max(10_080, 'must be at most 10080 (a week)')
    .optional(),
  ADMIN_EMAILS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((email) => email.trim().toLowerCase()).filter(Boolean)),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  EMAIL_FROM: z.string().default('Billing <billing@localhost>'),
});

export type CoreEnv = z.infer<typeof coreEnvSchema> & { APP_URL: string };

export function loadCoreEnv(env: NodeJS.ProcessEnv = process.env): CoreEnv {
  const parsed = parseEnv(coreEnvSchema, env);
  return { ...parsed, APP_URL: parsed.APP_URL ?? `http://localhost:${parsed.PORT}` };
}

export function isProduction(env: Pick<CoreEnv, 'NODE_ENV'>): boolean {
  return env.NODE_ENV === 'production';
}

/** The interface to listen on; undefined: every interface. */
export function listenHost(env: Pick<CoreEnv, 'NODE_ENV' | 'HOST'>): string | undefined {
  return env.HOST ?? (isProduction(env) ? undefined : '127.0.0.1');
}

// The env the running app uses; the server installs it at startup, anything else reads process.env once.
let current: CoreEnv | undefined;

export function useCoreEnv(env: CoreEnv): void {
  current = env;
}

export function coreEnv(): CoreEnv {
  return (current ??= loadCoreEnv());
}
