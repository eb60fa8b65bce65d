// `npm run wasp:spec`: writes main.wasp from main.wasp.ts and its parts (src/wasp/waspSpec.test.ts fails until it is run).
import { writeFileSync } from 'node:fs';
import { readSpecFile } from './readSpec.js';
import { toDsl } from './toDsl.js';

const root = new URL('../../', import.meta.url);
writeFileSync(new URL('main.wasp', root), toDsl(readSpecFile(new URL('main.wasp.ts', root).pathname)));
console.log('main.wasp written from main.wasp.ts');
