import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

// The engine is the only writer of a workspace's customers and subscriptions: operations go through
// intents.ts, webhooks and reconciliation through the handlers. This reads the app's source (tests,
// test helpers and emulators aside) for Prisma or SQL writes to those records elsewhere.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const PRISMA_WRITE = /\.(customer|subscription)\.(create|createMany|update|updateMany|upsert|delete|deleteMany)\(/g;
const SQL_WRITE = /(INSERT INTO|UPDATE|DELETE FROM)\s+"(Customer|Subscription)"/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['generated', 'emulator', 'emulators', 'test', 'testing'].includes(entry.name) ? [] : sourceFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

it('only the engine writes billing records', () => {
  const writers = new Set<string>();
  for (const file of sourceFiles(path.join(ROOT, 'src'))) {
    const source = readFileSync(file, 'utf8');
    if (source.match(PRISMA_WRITE) || source.match(SQL_WRITE)) writers.add(path.relative(ROOT, file));
  }
  expect([...writers].filter((file) => !file.startsWith('src/payment/engine/'))).toEqual([]);
  // The check finds what it looks for: the engine's own writers are seen.
  expect(writers).toContain('src/payment/engine/intents.ts');
  expect(writers).toContain('src/payment/engine/subscriptionState.ts');
});
