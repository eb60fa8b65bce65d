import { createFakeProcessor } from './fake/fakeProcessor.js';
import { lemonSqueezyProductionProblems } from './lemonSqueezy/lemonSqueezyConfig.js';
import { createLemonSqueezyProcessor } from './lemonSqueezy/lemonSqueezyProcessor.js';
import { stripeProductionProblems } from './stripe/stripeConfig.js';
import { createStripeProcessor } from './stripe/stripeProcessor.js';
import type { PaymentProcessor, ProcessorDriver } from './paymentProcessor.js';
import { definePaymentProcessor } from './webhookHandler.js';

/** How the processor is being loaded: `shell` for an operator's command beside a running server. */
export interface ProcessorLoadOptions {
  /** A shell command: a local emulator the server is running already is shared, not started twice. */
  shell?: boolean;
}

/** A processor registers here: its id and a factory reading (and validating) its own env. */
export type ProcessorFactory = (env: NodeJS.ProcessEnv, options: ProcessorLoadOptions) => ProcessorDriver | Promise<ProcessorDriver>;

/** The factory, and what production mode refuses of the processor's env (an emulator, a missing secret). */
interface ProcessorRegistration {
  create: ProcessorFactory;
  productionProblems: (env: NodeJS.ProcessEnv) => string[];
}

// With its API key a processor is itself; without, its emulator mode, imported only then: the emulators
// are development tools that production code never loads.
const registry: Record<string, ProcessorRegistration> = {
  stripe: {
    create: async (env, options) => (env.STRIPE_API_KEY ? createStripeProcessor(env) : (await import('./stripe/stripeEmulatorMode.js')).createEmulatedStripeFromEnv(env, options)),
    productionProblems: stripeProductionProblems,
  },
  lemonsqueezy: {
    create: async (env, options) =>
      env.LEMONSQUEEZY_API_KEY ? createLemonSqueezyProcessor(env) : (await import('./lemonSqueezy/lemonSqueezyEmulatorMode.js')).createEmulatedLemonSqueezyFromEnv(env, options),
    productionProblems: lemonSqueezyProductionProblems,
  },
  fake: { create: createFakeProcessor, productionProblems: () => ['PAYMENTS_PROCESSOR=fake moves no money: choose stripe or lemonsqueezy in production'] },
};

export const processorIds = Object.keys(registry);
export const DEFAULT_PROCESSOR = 'stripe';

export async function loadPaymentProcessor(env: NodeJS.ProcessEnv = process.env, options: ProcessorLoadOptions = {}): Promise<PaymentProcessor> {
  const id = env.PAYMENTS_PROCESSOR || DEFAULT_PROCESSOR;
  const registration = registry[id];
  if (!registration) throw new Error(`PAYMENTS_PROCESSOR="${id}" is not a known processor; choose one of: ${processorIds.join(', ')}`);
  return definePaymentProcessor(await registration.create(env, options));
}

/** The configured processor's production problems (an unknown processor is loadPaymentProcessor's to name). */
export function processorProductionProblems(env: NodeJS.ProcessEnv): string[] {
  return registry[env.PAYMENTS_PROCESSOR || DEFAULT_PROCESSOR]?.productionProblems(env) ?? [];
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
