import { existsSync } from 'node:fs';

export const ENV_FILE = '.env.server';

/** Reads .env.server (Wasp's name for it) when present; variables already set in the shell win. */
export function loadEnvFile(file = ENV_FILE): void {
  if (existsSync(file)) process.loadEnvFile(file);
}
