import type { ProcessorModule } from '../processorModule.js';
import { stripeProductionProblems } from './stripeConfig.js';
import { createStripeProcessor } from './stripeProcessor.js';

export const processorModule: ProcessorModule = {
  id: 'stripe',
  create: async (env, options) => (env.STRIPE_API_KEY ? createStripeProcessor(env) : (await import('./stripeEmulatorMode.js')).createEmulatedStripeFromEnv(env, options)),
  productionProblems: stripeProductionProblems,
};
