// `npm run processors:register`: writes src/payment/processorModules.ts, the list of every processor
// folder with a processorModule.ts, so adding a processor edits no core file by hand (and a bundler, as
// Wasp's, sees plain imports). processorModules.test.ts fails while the written list is out of date.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PAYMENT_DIR = path.resolve(import.meta.dirname, '../src/payment');
export const REGISTRY_FILE = path.join(PAYMENT_DIR, 'processorModules.ts');

/** The folders of src/payment that hold a processor module, in name order. */
export function processorFolders(dir = PAYMENT_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'processorModule.ts')))
    .map((entry) => entry.name)
    .sort();
}

export function renderRegistry(folders: string[]): string {
  const imports = folders.map((folder) => `import { processorModule as ${folder} } from './${folder}/processorModule.js';`);
  return [
    '// Written by `npm run processors:register` (scripts/registerProcessors.ts): every folder with a',
    '// processorModule.ts. Do not edit; processorModules.test.ts checks it is current.',
    "import type { ProcessorModule } from './processorModule.js';",
    ...imports,
    '',
    `export const processorModules: readonly ProcessorModule[] = [${folders.join(', ')}];`,
    '',
  ].join('\n');
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  writeFileSync(REGISTRY_FILE, renderRegistry(processorFolders()));
  console.log(`${path.relative(process.cwd(), REGISTRY_FILE)}: ${processorFolders().join(', ')}`);
}
