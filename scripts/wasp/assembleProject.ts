// The plugin's own Wasp project, which `npm run wasp:compile` hands to the real Wasp CLI:
//   node --import tsx scripts/wasp/assembleProject.ts <dir>
// main.wasp.ts and src/wasp/billing.wasp.ts as they are, the files their refs import, schema.prisma made Wasp's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assembleWaspProject, pluginRoot } from './waspProject.js';
import { waspSchema } from './waspSchema.js';

const target = process.argv[2];
if (!target) throw new Error('usage: assembleProject.ts <project dir>');
assembleWaspProject({
  name: 'billing-plugin-wasp-check',
  target,
  mainFile: path.join(pluginRoot, 'main.wasp.ts'),
  roots: [pluginRoot],
  schema: waspSchema(readFileSync(path.join(pluginRoot, 'schema.prisma'), 'utf8')),
});
