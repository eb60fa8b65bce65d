// Assembles the throwaway Wasp project that `npm run wasp:compile` hands to the real Wasp CLI:
//   node --import tsx scripts/wasp/assembleProject.ts <dir>
// main.wasp.ts as it is, with scripts/wasp/project/*; src/ = exactly the files its refs import, transitively (the adapters, the
// core they call, the pages); a package.json with Wasp's own dependencies plus, at this repo's
// versions, the packages those files import; schema.prisma made Wasp's. node_modules, .wasp and the
// lockfile stay between runs, so a rerun installs nothing new.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { BACKEND_MODULES } from '../../src/client/backend/alias.js';
import { readSpec } from './readSpec.js';
import { waspSchema } from './waspSchema.js';

// What `wasp new -t minimal` writes for Wasp 0.25.0: Wasp's versions, not ours.
const WASP_PACKAGES = {
  dependencies: { react: '^19.2.1', 'react-dom': '^19.2.1', 'react-router': '^8.0.1' },
  devDependencies: {
    '@types/node': '^24.0.0',
    '@types/react': '^19.2.7',
    '@types/react-dom': '^19.2.3',
    prisma: '5.19.1',
    typescript: '6.0.3',
    vite: '^8.1.0',
    vitest: '^4.1.9',
    '@wasp.sh/spec': 'file:.wasp/spec/',
  },
};
// Packages Wasp's SDK brings at its own versions: our code is checked against those.
const WASP_OWNED = new Set(['wasp', 'express', ...Object.keys(WASP_PACKAGES.dependencies), ...Object.keys(WASP_PACKAGES.devDependencies)]);
// Wasp owns `@prisma/client` (Prisma 5); our generated Prisma 7 client reaches its runtime under this alias.
const PRISMA_7 = 'prisma-client-7';

const root = path.resolve(import.meta.dirname, '../..');
const ourPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
const ourVersions: Record<string, string> = { ...ourPackage.devDependencies, ...ourPackage.dependencies };
// The pages' backend in a Wasp build: Wasp's operations and auth (src/client/backend/alias.ts).
const WASP_BACKEND: Record<string, string> = {
  [BACKEND_MODULES.api]: path.join(root, 'src/wasp/adapters/client/api.ts'),
  [BACKEND_MODULES.accounts]: path.join(root, 'src/wasp/adapters/client/accounts.ts'),
};
const STANDALONE_CLIENT = path.join(root, 'src/client/api.ts');
const resolution: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.Preserve };

/** The files under src/ that `entries` import, transitively, and the packages they import. */
function closure(entries: string[]): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    if (!file.startsWith(path.join(root, 'src') + path.sep)) throw new Error(`${file}: the Wasp build can only use files under src/`);
    files.add(file);
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (WASP_BACKEND[specifier]) visit(WASP_BACKEND[specifier]);
      else if (specifier.startsWith('.')) visit(resolve(specifier, file));
      else if (!specifier.startsWith('node:')) packages.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
    }
  };
  entries.forEach(visit);
  if (files.has(STANDALONE_CLIENT)) throw new Error('The Wasp build reaches src/client/api.ts, the standalone client: import @billing/backend instead');
  return { files: [...files].sort(), packages };
}

function resolve(specifier: string, fromFile: string): string {
  const resolved = ts.resolveModuleName(specifier, fromFile, resolution, ts.sys).resolvedModule?.resolvedFileName;
  if (!resolved) throw new Error(`${path.relative(root, fromFile)}: cannot resolve ${specifier}`);
  return resolved;
}

/**
 * The file as the Wasp app gets it. Wasp's SDK build type-checks its own copy of src/ with a tsconfig of
 * its own, which knows no path aliases: so the pages' `@billing/backend` imports are resolved here, to
 * the Wasp implementation, and the generated Prisma 7 client imports its runtime under our alias.
 */
function waspCopy(file: string): string {
  const text = readFileSync(file, 'utf8');
  if (file.startsWith(path.join(root, 'src/db/generated') + path.sep)) return text.replaceAll('"@prisma/client/', `"${PRISMA_7}/`);
  return text.replace(/(from |import\()'([^']+)'/g, (whole, keyword: string, specifier: string) => {
    const target = WASP_BACKEND[specifier];
    if (!target) return whole;
    const relative = path.relative(path.dirname(file), target).replace(/\.ts$/, '.js');
    return `${keyword}'${relative.startsWith('.') ? relative : `./${relative}`}'`;
  });
}

/** Wasp's minimal package.json plus our pinned versions of what the copied files import (and its @types). */
function packageJson(packages: Set<string>): string {
  const dependencies: Record<string, string> = { ...WASP_PACKAGES.dependencies };
  const devDependencies: Record<string, string> = { ...WASP_PACKAGES.devDependencies };
  for (const name of [...packages].sort()) {
    if (name === '@prisma/client') {
      dependencies[PRISMA_7] = `npm:@prisma/client@${ourVersions[name]}`;
      continue;
    }
    if (WASP_OWNED.has(name)) continue;
    const version = ourVersions[name];
    if (!version) throw new Error(`The Wasp build imports ${name}, which package.json does not declare`);
    dependencies[name] = version;
    const types = `@types/${name.replace(/^@(.*)\//, '$1__')}`;
    if (ourVersions[types]) devDependencies[types] = ourVersions[types];
  }
  const project = { name: 'billing-plugin-wasp-check', type: 'module', workspaces: ['.wasp/out/*', '.wasp/out/sdk/wasp'], dependencies, devDependencies };
  return `${JSON.stringify(project, null, 2)}\n`;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const target = process.argv[2];
if (!target) throw new Error('usage: assembleProject.ts <project dir>');
const spec = readFileSync(path.join(root, 'main.wasp.ts'), 'utf8');
const entries = readSpec(spec).refs.map((ref) => resolve(ref.from, path.join(root, 'main.wasp.ts')));
const { files, packages } = closure([...new Set(entries)]);

rmSync(path.join(target, 'src'), { recursive: true, force: true });
for (const file of files) write(path.join(target, path.relative(root, file)), waspCopy(file));
write(path.join(target, 'main.wasp.ts'), spec);
write(path.join(target, 'schema.prisma'), waspSchema(readFileSync(path.join(root, 'schema.prisma'), 'utf8')));
write(path.join(target, 'package.json'), packageJson(packages));
// The files every Wasp 0.25 project has (tsconfigs, vite.config.ts), as `wasp new` writes them.
cpSync(path.join(import.meta.dirname, 'project'), target, { recursive: true });
write(path.join(target, '.wasproot'), 'File marking the root of Wasp project.\n');
console.log(`Wasp project assembled in ${target}: ${files.length} files from src/, packages ${[...packages].sort().join(', ')}`);
