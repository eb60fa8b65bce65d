// Written by `npm run processors:register` (scripts/registerProcessors.ts): every folder with a
// processorModule.ts. Do not edit; processorModules.test.ts checks it is current.
import type { ProcessorModule } from './processorModule.js';
import { processorModule as fake } from './fake/processorModule.js';
import { processorModule as lemonSqueezy } from './lemonSqueezy/processorModule.js';
import { processorModule as stripe } from './stripe/processorModule.js';

export const processorModules: readonly ProcessorModule[] = [fake, lemonSqueezy, stripe];
