// `npm run wasp:spec`: writes main.wasp from main.wasp.ts (src/wasp/waspSpec.test.ts fails until it is run).
import { readFileSync, writeFileSync } from 'node:fs';
import { readSpec } from './readSpec.js';
import { toDsl } from './toDsl.js';

const root = new URL('../../', import.meta.url);
writeFileSync(new URL('main.wasp', root), toDsl(readSpec(readFileSync(new URL('main.wasp.ts', root), 'utf8'))));
console.log('main.wasp written from main.wasp.ts');
