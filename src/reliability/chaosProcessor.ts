import { pathToFileURL } from 'node:url';
import type { ChaosWireKit } from '../payment/chaosWireKit.js';
import type { ProcessorDriver } from '../payment/paymentProcessor.js';
import { createEventsProcessor } from '../test/eventsProcessor.js';

/**
 * The processor a chaos server runs: the core's test processor (id fake) by default; with CHAOS_KIT
 * (the path of a processor folder's testing/chaosWire.ts, set by mapperChaos.test.ts) that processor's
 * real driver, with the webhook secret and plan ids of its env.
 */
export async function createChaosDriver(env: NodeJS.ProcessEnv): Promise<ProcessorDriver> {
  if (!env.CHAOS_KIT) return createEventsProcessor(env);
  const { chaosWire } = (await import(pathToFileURL(env.CHAOS_KIT).href)) as { chaosWire: ChaosWireKit };
  return chaosWire.createDriver(env);
}
