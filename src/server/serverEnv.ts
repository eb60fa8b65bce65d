import { isProduction, loadCoreEnv, type CoreEnv } from '../config/env.js';
import { collectEnvProblems, EnvError } from '../config/parseEnv.js';
import { requiredInProduction } from '../config/requiredInProduction.js';
import { processorProductionProblems } from '../payment/processors.js';

/**
 * The development defaults `env` would fall into, as production mode names them: each one is fine on a
 * laptop and a hole in production (an emulator taking payments, mail kept in memory and shown on a
 * page, cookies over plain http, a database that could lose acknowledged payments).
 */
export function developmentDefaultsIn(env: NodeJS.ProcessEnv): string[] {
  const problems = [
    ...processorProductionProblems(env),
    ...requiredInProduction(env, { SMTP_HOST: 'without it email would be captured locally instead of sent' }),
  ];
  if (!env.APP_URL?.startsWith('https://')) {
    problems.push('APP_URL must be an https:// URL in production: the session cookie is Secure only then, and processors send customers back there');
  }
  if (!env.DATABASE_URL && env.DATABASE_EMBEDDED !== 'durable') {
    problems.push('DATABASE_URL is required in production (or DATABASE_EMBEDDED=durable to run the embedded PostgreSQL under DATA_DIR on purpose)');
  }
  return problems;
}

/** The core env for `npm start`; in production mode also every development default refused, all named at once. */
export function loadServerEnv(processEnv: NodeJS.ProcessEnv): CoreEnv {
  const problems: string[] = [];
  const env = collectEnvProblems(problems, () => loadCoreEnv(processEnv));
  if (processEnv.NODE_ENV === 'production') problems.push(...developmentDefaultsIn(processEnv));
  if (!env || problems.length > 0) throw new EnvError(problems);
  return env;
}

/** The startup log's first line: the mode, and in development which dev-only defaults are in use. */
export function describeMode(env: CoreEnv, processEnv: NodeJS.ProcessEnv): string {
  if (isProduction(env)) return 'production (NODE_ENV=production: no development defaults)';
  // Named by the variable a problem starts with; a problem that names none (the fake processor) by its own words.
  const inUse = developmentDefaultsIn(processEnv).map((problem) => /^[A-Z][A-Z0-9_]*\b/.exec(problem)?.[0] ?? problem.split(':')[0]!);
  return inUse.length === 0
    ? 'development (NODE_ENV is not production)'
    : `development (NODE_ENV is not production); dev-only defaults in use, refused in production: ${inUse.join(', ')}`;
}
