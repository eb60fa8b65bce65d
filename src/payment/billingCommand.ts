import type { CoreEnv } from '../config/env.js';
import { loadEnvFile } from '../config/envFile.js';
import { EnvError } from '../config/parseEnv.js';
import { useDb } from '../db/client.js';
import { openDatabase } from '../db/openDatabase.js';
import { loadServerEnv } from '../server/serverEnv.js';
import type { PaymentProcessor } from './paymentProcessor.js';
import { closePaymentProcessors, loadPaymentProcessors, usePaymentProcessors } from './processors.js';

/**
 * What the operators' shell commands (`npm run billing:replay`, `billing:reconcile`, `billing:webhook-endpoint`) share: the same env
 * as `npm start` (.env.server, then the shell), the configured processors and the database (a local
 * emulator and an embedded PostgreSQL are the running server's when it runs, else started here); `run`
 * returns the exit code. Production mode refuses the development defaults as `npm start` does (an
 * emulator, captured mail, the embedded database), naming each, and runs nothing. `database: false`: a command that needs none does not open it. Everything is closed again, whatever `run` does.
 */
export async function runBillingCommand(run: (processors: PaymentProcessor[], env: CoreEnv) => Promise<number>, options: { database?: boolean } = {}): Promise<void> {
  loadEnvFile();
  let env: CoreEnv;
  try {
    env = loadServerEnv(process.env);
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }
  const processors = await loadPaymentProcessors(process.env, { shell: true });
  usePaymentProcessors(processors);
  try {
    const database = options.database === false ? undefined : await openDatabase(env.DATABASE_URL, env.DATA_DIR, { shareRunning: true });
    if (database) useDb(database.prisma);
    try {
      process.exitCode = await run(processors, env);
    } finally {
      await database?.close();
    }
  } finally {
    await closePaymentProcessors(processors);
  }
}
