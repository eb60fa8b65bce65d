import { z } from 'zod';
import { parseEnv } from './parseEnv.js';

const optionalUrl = z.url({ protocol: /^https?$/ }).optional();

// Only the variables the core reads; each processor validates its own (see src/payment/*/config.ts).
export const coreEnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3001),
  APP_URL: optionalUrl,
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgresql:// URL' }).optional(),
  DATA_DIR: z.string().default('.data'),
  PAYMENTS_PROCESSOR: z.string().default('stripe'),
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

// The env the running app uses; the server installs it at startup, anything else reads process.env once.
let current: CoreEnv | undefined;

export function useCoreEnv(env: CoreEnv): void {
  current = env;
}

export function coreEnv(): CoreEnv {
  return (current ??= loadCoreEnv());
}
