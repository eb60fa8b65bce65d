import { loadCoreEnv } from '../config/env.js';
import { loadEnvFile } from '../config/envFile.js';
import { useDb } from '../db/client.js';
import { openDatabase } from '../db/openDatabase.js';
import type { PaymentProcessor } from './paymentProcessor.js';
import { loadPaymentProcessor } from './processors.js';

/**
 * What the operators' shell commands (`npm run billing:replay`, `billing:reconcile`) share: the same env
 * as `npm start` (.env.server, then the shell), the configured processor and the database (a local
 * emulator and an embedded PostgreSQL are the running server's when it runs, else started here); `run`
 * returns the exit code. Everything is closed again, whatever `run` does.
 */
export async function runBillingCommand(run: (processor: PaymentProcessor) => Promise<number>): Promise<void> {
  loadEnvFile();
  const env = loadCoreEnv();
  const processor = await loadPaymentProcessor(process.env, { shell: true });
  try {
    const database = await openDatabase(env.DATABASE_URL, env.DATA_DIR, { shareRunning: true });
    useDb(database.prisma);
    try {
      process.exitCode = await run(processor);
    } finally {
      await database.close();
    }
  } finally {
    await processor.close?.();
  }
}
