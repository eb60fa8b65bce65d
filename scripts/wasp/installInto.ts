// `npm run wasp:install -- <your Wasp app>`: copies into a Wasp app the plugin's files that its main.wasp.ts
// reaches (after you added the plugin's lines to it, docs/WASP-OPEN-SAAS.md), as a Wasp build needs them
// (the pages' backend resolved to Wasp's operations and auth), and prints the dependencies to add. A file
// of the app that differs from the plugin's at the same path stops it, before anything is written.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { copyIntoWaspApp, dependenciesFor, pluginRoot, reachedFiles, waspCopy } from './waspProject.js';

const app = process.argv[2];
if (!app || !existsSync(path.join(app, 'main.wasp.ts'))) throw new Error('usage: npm run wasp:install -- <folder of a Wasp app with main.wasp.ts>');
// The plugin's files first: a file of the app at one of their paths is a clash, not a replacement.
const { files, packages } = reachedFiles(path.join(app, 'main.wasp.ts'), [pluginRoot, app]);
const fromPlugin = files.filter((file) => file.source.startsWith(pluginRoot + path.sep));
const clashes = fromPlugin.filter((file) => existsSync(path.join(app, file.path)) && readFileSync(path.join(app, file.path), 'utf8') !== waspCopy(file));
if (clashes.length) throw new Error(`These files of the app differ from the plugin's (move or delete them first):\n  ${clashes.map((f) => f.path).join('\n  ')}`);
copyIntoWaspApp(app, fromPlugin);
console.log(`Copied ${fromPlugin.length} files into ${app}. Add to its package.json dependencies:`);
console.log(JSON.stringify(dependenciesFor(packages), null, 2));
