import type { ProcessorModule } from '../processorModule.js';
import { createFakeProcessor } from './fakeProcessor.js';

export const processorModule: ProcessorModule = {
  id: 'fake',
  create: createFakeProcessor,
  productionProblems: () => ['the fake processor moves no money: choose a real one in production'],
};
