// Assembles a Wasp project that the real Wasp CLI checks (`npm run wasp:compile`): a main.wasp.ts, the
// files under src/ its refs import, transitively (the adapters, the core they call, the pages), found
// in the project's own folder first and then in the plugin's; a package.json with Wasp's own
// dependencies plus, at this repo's versions, the packages those files import; the schema.prisma given;
// and scripts/wasp/project/* (what `wasp new` writes). node_modules, .wasp and the lockfile stay between
// runs, so a rerun installs nothing new.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { BACKEND_MODULES } from '../../src/client/backend/alias.js';
import { readSpecFile } from './readSpec.js';

export const pluginRoot = path.resolve(import.meta.dirname, '../..');

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
// The pages' backend in a Wasp build: Wasp's operations and auth (src/client/backend/alias.ts).
const WASP_BACKEND: Record<string, string> = {
  [BACKEND_MODULES.api]: 'src/wasp/adapters/client/api.ts',
  [BACKEND_MODULES.accounts]: 'src/wasp/adapters/client/accounts.ts',
};
const STANDALONE_CLIENT = 'src/client/api.ts';

const ourPackage = JSON.parse(readFileSync(path.join(pluginRoot, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
const ourVersions: Record<string, string> = { ...ourPackage.devDependencies, ...ourPackage.dependencies };
const resolution: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, jsx: ts.JsxEmit.Preserve };

/** A file of the assembled project: its path there and where it is read from. */
export interface ProjectFile {
  path: string;
  source: string;
}

/** The file that module `modulePath` (from the project root, e.g. `src/client/pages/X`) is, in the first of `roots` that has it. */
function locate(modulePath: string, roots: string[]): ProjectFile {
  for (const root of roots) {
    const source = ts.resolveModuleName(`./${modulePath}`, path.join(root, 'index.ts'), resolution, ts.sys).resolvedModule?.resolvedFileName;
    if (source && !source.includes(`${path.sep}node_modules${path.sep}`)) return { path: path.relative(root, source), source };
  }
  throw new Error(`cannot resolve ${modulePath} in ${roots.join(' or ')}`);
}

/** The files under src/ that `entries` import, transitively, and the packages they import. */
function closure(entries: string[], roots: string[]): { files: ProjectFile[]; packages: Set<string> } {
  const files = new Map<string, ProjectFile>();
  const packages = new Set<string>();
  const visit = (file: ProjectFile) => {
    if (files.has(file.path)) return;
    if (!file.path.startsWith(`src${path.sep}`)) throw new Error(`${file.source}: the Wasp build can only use files under src/`);
    files.set(file.path, file);
    for (const { fileName: specifier } of ts.preProcessFile(readFileSync(file.source, 'utf8'), true, true).importedFiles) {
      const aliased = WASP_BACKEND[specifier];
      if (aliased) visit({ path: aliased, source: path.join(pluginRoot, aliased) });
      else if (specifier.startsWith('.')) visit(locate(path.join(path.dirname(file.path), specifier), roots));
      else if (!specifier.startsWith('node:')) packages.add(specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
    }
  };
  entries.forEach((entry) => visit(locate(entry, roots)));
  if (files.has(STANDALONE_CLIENT)) throw new Error(`The Wasp build reaches ${STANDALONE_CLIENT}, the standalone client: import @billing/backend instead`);
  return { files: [...files.values()].sort((a, b) => a.path.localeCompare(b.path)), packages };
}

/**
 * The file as the Wasp app gets it. Wasp's SDK build type-checks its own copy of src/ with a tsconfig of
 * its own, which knows no path aliases: so the pages' `@billing/backend` imports are resolved here, to
 * the Wasp implementation, and the generated Prisma 7 client imports its runtime under our alias.
 */
export function waspCopy({ path: file, source }: ProjectFile): string {
  const text = readFileSync(source, 'utf8');
  if (file.startsWith(path.join('src', 'db', 'generated') + path.sep)) return text.replaceAll('"@prisma/client/', `"${PRISMA_7}/`);
  return text.replace(/(from |import\()'([^']+)'/g, (whole, keyword: string, specifier: string) => {
    const target = WASP_BACKEND[specifier];
    if (!target) return whole;
    const relative = path.relative(path.dirname(file), target).replace(/\.ts$/, '.js');
    return `${keyword}'${relative.startsWith('.') ? relative : `./${relative}`}'`;
  });
}

/** Wasp's minimal package.json plus our pinned versions of what the copied files import (and its @types). */
function packageJson(name: string, packages: Set<string>): string {
  const dependencies: Record<string, string> = { ...WASP_PACKAGES.dependencies };
  const devDependencies: Record<string, string> = { ...WASP_PACKAGES.devDependencies };
  for (const dependency of [...packages].sort()) {
    if (dependency === '@prisma/client') {
      dependencies[PRISMA_7] = `npm:@prisma/client@${ourVersions[dependency]}`;
      continue;
    }
    if (WASP_OWNED.has(dependency)) continue;
    const version = ourVersions[dependency];
    if (!version) throw new Error(`The Wasp build imports ${dependency}, which package.json does not declare`);
    dependencies[dependency] = version;
    const types = `@types/${dependency.replace(/^@(.*)\//, '$1__')}`;
    if (ourVersions[types]) devDependencies[types] = ourVersions[types];
  }
  const project = { name, type: 'module', workspaces: ['.wasp/out/*', '.wasp/out/sdk/wasp'], dependencies, devDependencies };
  return `${JSON.stringify(project, null, 2)}\n`;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** The files of the plugin (and, before them, of the app in `roots`) that `mainFile`'s spec reaches, and their packages. */
export function reachedFiles(mainFile: string, roots: string[]): { files: ProjectFile[]; packages: Set<string> } {
  const spec = readSpecFile(mainFile, roots);
  const { files, packages } = closure([...new Set(spec.refs.map((ref) => ref.from.slice(2)))], roots);
  return { files: [...files, ...spec.parts.map((part) => locate(part, roots))], packages };
}

/** Writes `files` into the Wasp app at `target`, as a Wasp build needs them (waspCopy). */
export function copyIntoWaspApp(target: string, files: ProjectFile[]): void {
  for (const file of files) write(path.join(target, file.path), waspCopy(file));
}

/** The dependencies a Wasp app needs for `packages`, beyond Wasp's own. */
export function dependenciesFor(packages: Set<string>): Record<string, string> {
  const { dependencies } = JSON.parse(packageJson('', packages)) as { dependencies: Record<string, string> };
  return Object.fromEntries(Object.entries(dependencies).filter(([name]) => !WASP_OWNED.has(name)));
}

/**
 * Writes the Wasp project of `mainFile` into `target`: its spec parts and refs are read from `roots`,
 * in order (the app's folder, then the plugin's).
 */
export function assembleWaspProject({ name, target, mainFile, roots, schema }: { name: string; target: string; mainFile: string; roots: string[]; schema: string }): void {
  const { files, packages } = reachedFiles(mainFile, roots);
  rmSync(path.join(target, 'src'), { recursive: true, force: true });
  copyIntoWaspApp(target, files);
  write(path.join(target, 'main.wasp.ts'), readFileSync(mainFile, 'utf8'));
  write(path.join(target, 'schema.prisma'), schema);
  write(path.join(target, 'package.json'), packageJson(name, packages));
  // The files every Wasp 0.25 project has (tsconfigs, vite.config.ts), as `wasp new` writes them.
  cpSync(path.join(import.meta.dirname, 'project'), target, { recursive: true });
  write(path.join(target, '.wasproot'), 'File marking the root of Wasp project.\n');
  console.log(`Wasp project assembled in ${target}: ${files.length} files from src/, packages ${[...packages].sort().join(', ')}`);
}
