import type { ProcessorModule } from '../processorModule.js';
import { lemonSqueezyProductionProblems } from './lemonSqueezyConfig.js';
import { createLemonSqueezyProcessor } from './lemonSqueezyProcessor.js';

export const processorModule: ProcessorModule = {
  id: 'lemonsqueezy',
  create: async (env, options) =>
    env.LEMONSQUEEZY_API_KEY ? createLemonSqueezyProcessor(env) : (await import('./lemonSqueezyEmulatorMode.js')).createEmulatedLemonSqueezyFromEnv(env, options),
  productionProblems: lemonSqueezyProductionProblems,
};
