import type { ProcessorModule } from '../processorModule.js';
import { fakeProductionProblems } from './fakeConfig.js';

export const processorModule: ProcessorModule = {
  id: 'fake',
  // The fake has no service of its own, so it always runs on its emulator, imported only here.
  create: async (env, options) => (await import('./fakeEmulatorMode.js')).createEmulatedFakeFromEnv(env, options),
  productionProblems: fakeProductionProblems,
};
