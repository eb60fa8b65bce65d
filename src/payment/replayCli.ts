// `npm run billing:replay`: replays every failed webhook delivery of the configured processor through
// the engine (like the replayFailedDeliveries operation) and prints a summary. Same env as `npm start`.
// With a local emulator (no processor key) it starts its own emulator on the saved state; it only reads.
import { loadCoreEnv } from '../config/env.js';
import { loadEnvFile } from '../config/envFile.js';
import { useDb } from '../db/client.js';
import { openDatabase } from '../db/openDatabase.js';
import { replayFailedDeliveries } from './engine/replayDelivery.js';
import { loadPaymentProcessor } from './processors.js';

loadEnvFile();
const env = loadCoreEnv();
const processor = await loadPaymentProcessor();
const database = await openDatabase(env.DATABASE_URL, env.DATA_DIR);
useDb(database.prisma);
try {
  if (!processor.mapStoredPayload) throw new Error(`The ${processor.id} processor cannot replay deliveries (no mapStoredPayload)`);
  const summary = await replayFailedDeliveries({ ...processor, mapStoredPayload: processor.mapStoredPayload }, { type: 'system' });
  console.log(`Replayed ${summary.replayed} failed ${processor.id} deliveries: ${JSON.stringify(summary.byOutcome)}`);
  for (const d of summary.stillFailing) console.log(`  still ${d.status}: ${d.type} ${d.eventId} (${d.deliveryId}): ${d.error}`);
  process.exitCode = summary.stillFailing.length > 0 ? 1 : 0;
} finally {
  await database.close();
  await processor.close?.();
}
