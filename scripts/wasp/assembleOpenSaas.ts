// The install check of docs/WASP-OPEN-SAAS.md: an app shaped like open-saas's template
// (scripts/wasp/openSaas) with the plugin installed as the guide says, for `npm run wasp:compile`:
//   node --import tsx scripts/wasp/assembleOpenSaas.ts <dir>
// Its files come first; what its spec reaches of the plugin (src/wasp/billing.wasp.ts, the adapters, the
// core, the pages) comes from this repo; its schema.prisma gets the plugin's models appended.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { assembleWaspProject, pluginRoot } from './waspProject.js';
import { withPluginModels } from './waspSchema.js';

const target = process.argv[2];
if (!target) throw new Error('usage: assembleOpenSaas.ts <project dir>');
const app = path.join(import.meta.dirname, 'openSaas');
const read = (file: string) => readFileSync(file, 'utf8');
assembleWaspProject({
  name: 'billing-plugin-open-saas-check',
  target,
  mainFile: path.join(app, 'main.wasp.ts'),
  roots: [app, pluginRoot],
  schema: withPluginModels(read(path.join(app, 'schema.prisma')), read(path.join(pluginRoot, 'schema.prisma'))),
});
