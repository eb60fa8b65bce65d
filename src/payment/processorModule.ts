import type { ProcessorDriver } from './paymentProcessor.js';

/** How a processor is being loaded: `shell` for an operator's command beside a running server. */
export interface ProcessorLoadOptions {
  /** A shell command: a local emulator the server is running already is shared, not started twice. */
  shell?: boolean;
  /** The app's route for this processor's webhooks (what a local emulator delivers to): `webhookPathOf`. */
  webhookPath?: string;
}

/** Reads (and validates) the processor's own env and returns its driver. */
export type ProcessorFactory = (env: NodeJS.ProcessEnv, options: ProcessorLoadOptions) => ProcessorDriver | Promise<ProcessorDriver>;

/**
 * What a processor folder exports from its `processorModule.ts` as `processorModule`; the registry
 * (processorModules.ts, written by `npm run processors:register`) lists every such folder.
 */
export interface ProcessorModule {
  /** The name PAYMENTS_PROCESSOR(S) use, stored on every workspace, payment and delivery of it. */
  id: string;
  /** With its API key the processor itself; without, its local emulator if it has one, imported only then (no emulator in production code). */
  create: ProcessorFactory;
  /** What production mode refuses of its env (an emulator, a missing secret), each problem named. */
  productionProblems(env: NodeJS.ProcessEnv): string[];
}
