import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The emulators are development tools: production code reaches them only through a dynamic import taken
// when a processor runs without its API key. This walks the static imports (type-only ones are erased)
// from the entry points the standalone server and a Wasp app load.
const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY_POINTS = ['src/server/main.ts', 'src/wasp/adapters/server.ts', 'src/wasp/adapters/webhook.ts', 'src/wasp/adapters/operations.ts'];
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm;

function staticImportsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(STATIC_IMPORT)]
    .map((match) => match[1]!)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')))
    .map((resolved) => (existsSync(resolved) ? resolved : resolved.replace(/\.ts$/, '.tsx')));
}

/** Every project file an entry point loads at start, with the chain that reaches it. */
function reachable(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[path.join(ROOT, entry), [entry]]]);
  const queue = [path.join(ROOT, entry)];
  for (let file = queue.shift(); file; file = queue.shift()) {
    for (const imported of staticImportsOf(file)) {
      if (chains.has(imported) || !existsSync(imported)) continue;
      chains.set(imported, [...chains.get(file)!, path.relative(ROOT, imported)]);
      queue.push(imported);
    }
  }
  return chains;
}

describe('production code does not import the emulators', () => {
  it.each(ENTRY_POINTS)('%s', (entry) => {
    const files = reachable(entry);
    expect(files.size).toBeGreaterThan(20); // the walk follows imports (it found the server's modules)
    const isEmulator = (file: string) => /^src\/emulators\/|\/emulator\//.test(path.relative(ROOT, file));
    const emulatorChains = [...files].filter(([file]) => isEmulator(file)).map(([, chain]) => chain.join(' -> '));
    expect(emulatorChains).toEqual([]);
  });
});
