import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLIENT_DIST = path.join(ROOT, 'dist/client');
const INPUTS_FILE = 'build-inputs.json';
// What changes the bundle without being one of its modules: the build config and dependency versions.
const EXTRA_INPUTS = ['vite.config.ts', 'src/client/backend/alias.ts', 'package-lock.json'];

type InputHashes = Record<string, string | null>;

/** sha256 of each file, keyed by its path from the repo root; null for a file that is gone. */
function hashFiles(relativePaths: Iterable<string>): InputHashes {
  const hashes: InputHashes = {};
  for (const file of relativePaths) {
    const full = path.join(ROOT, file);
    hashes[file] = existsSync(full) ? createHash('sha256').update(readFileSync(full)).digest('hex') : null;
  }
  return hashes;
}

/**
 * Writes dist/client/build-inputs.json: the hash of every source file that went into the bundle (all of
 * src/client it imports, plus plans.ts and the other shared modules), so a start can tell it is stale.
 */
export function recordBuildInputs(): Plugin {
  return {
    name: 'record-build-inputs',
    apply: 'build',
    generateBundle() {
      const sources = [...this.getModuleIds()]
        .map((id) => id.split('?')[0]!)
        .filter((id) => path.isAbsolute(id) && !id.includes(`${path.sep}node_modules${path.sep}`) && existsSync(id))
        .map((id) => path.relative(ROOT, id));
      const inputs = hashFiles(new Set([...sources, ...EXTRA_INPUTS].sort()));
      this.emitFile({ type: 'asset', fileName: INPUTS_FILE, source: `${JSON.stringify(inputs, null, 2)}\n` });
    },
  };
}

/** Whether the build in `dist` was made from the files as they are now. */
export function isBuildFresh(dist: string): boolean {
  const recordedFile = path.join(dist, INPUTS_FILE);
  if (!existsSync(recordedFile) || !existsSync(path.join(dist, 'index.html'))) return false;
  let recorded: InputHashes;
  try {
    recorded = JSON.parse(readFileSync(recordedFile, 'utf8')) as InputHashes;
  } catch {
    return false; // a damaged record: build again
  }
  const now = hashFiles(Object.keys(recorded));
  return Object.entries(recorded).every(([file, hash]) => now[file] === hash);
}

/**
 * Builds the React pages into dist/client unless the last build's inputs are unchanged (a few ms to
 * check). Resolves to a description for the startup log.
 */
export async function buildClientIfStale(): Promise<string> {
  if (isBuildFresh(CLIENT_DIST)) return 'up to date';
  const started = performance.now();
  // Built beside the live folder and swapped in, so a running server never serves half a build.
  const staging = `${CLIENT_DIST}.building-${process.pid}`;
  try {
    await buildClient(staging);
    const previous = `${CLIENT_DIST}.previous-${process.pid}`;
    if (existsSync(CLIENT_DIST)) renameSync(CLIENT_DIST, previous);
    renameSync(staging, CLIENT_DIST);
    rmSync(previous, { recursive: true, force: true });
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return `built from src/client in ${((performance.now() - started) / 1000).toFixed(1)} s`;
}

/** `vite build` of the React pages into `outDir`, with build-inputs.json. */
export async function buildClient(outDir: string): Promise<void> {
  // Loaded only when needed: a start with a fresh build does not pay for importing Vite.
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir } });
}
