import { createFakeProcessor } from './fake/fakeProcessor.js';
import { createLemonSqueezyProcessorFromEnv } from './lemonSqueezy/lemonSqueezyEmulatorMode.js';
import { createStripeProcessorFromEnv } from './stripe/stripeEmulatorMode.js';
import type { PaymentProcessor, ProcessorDriver } from './paymentProcessor.js';
import { definePaymentProcessor } from './webhookHandler.js';

/** How the processor is being loaded: `shell` for an operator's command beside a running server. */
export interface ProcessorLoadOptions {
  /** A shell command: a local emulator the server is running already is shared, not started twice. */
  shell?: boolean;
}

/** A processor registers here: its id and a factory reading (and validating) its own env. */
export type ProcessorFactory = (env: NodeJS.ProcessEnv, options: ProcessorLoadOptions) => ProcessorDriver | Promise<ProcessorDriver>;

const factories: Record<string, ProcessorFactory> = {
  stripe: createStripeProcessorFromEnv,
  lemonsqueezy: createLemonSqueezyProcessorFromEnv,
  fake: createFakeProcessor,
};

export const processorIds = Object.keys(factories);
export const DEFAULT_PROCESSOR = 'stripe';

export async function loadPaymentProcessor(env: NodeJS.ProcessEnv = process.env, options: ProcessorLoadOptions = {}): Promise<PaymentProcessor> {
  const id = env.PAYMENTS_PROCESSOR || DEFAULT_PROCESSOR;
  const factory = factories[id];
  if (!factory) throw new Error(`PAYMENTS_PROCESSOR="${id}" is not a known processor; choose one of: ${processorIds.join(', ')}`);
  return definePaymentProcessor(await factory(env, options));
}

// The active processor, as operations reach it (like Wasp apps import theirs from one module).
let active: PaymentProcessor | undefined;

export function usePaymentProcessor(processor: PaymentProcessor): void {
  active = processor;
}

export function paymentProcessor(): PaymentProcessor {
  if (!active) throw new Error('No payment processor: call usePaymentProcessor() (the server does this at startup)');
  return active;
}
