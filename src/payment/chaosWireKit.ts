import type { WireEncoder } from '../reliability/wire.js';
import type { ProcessorDriver } from './paymentProcessor.js';

/**
 * What a processor folder ships for the mapper chaos suite (src/reliability/mapperChaos.test.ts): as
 * `src/payment/<name>/testing/chaosWire.ts` exporting `chaosWire`, found by glob. The suite's server
 * processes import the same file (CHAOS_KIT) to run the processor's real driver.
 */
export interface ChaosWireKit extends WireEncoder {
  /** The real driver, on the env of `serverEnv` and `startApi`: test secret and plan ids, no real API. */
  createDriver(env: NodeJS.ProcessEnv): ProcessorDriver;
}

/**
 * Nothing listens here: the histories' own deliveries need no API call (a pack refund's charge carries
 * our metadata; no two states of a subscription share a second, so no refetch). A call would fail at
 * once and the delivery answer 5xx, which the chaos run reports.
 */
export const NO_API = 'http://127.0.0.1:9';
