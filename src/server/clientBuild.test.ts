import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildClient, isBuildFresh } from './clientBuild.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'client-build-'));
  dirs.push(dir);
  return dir;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(path.resolve(import.meta.dirname, '../..', file))).digest('hex');

/** A build folder whose build-inputs.json records `inputs`. */
function fakeBuild(inputs: Record<string, string | null>): string {
  const dist = tempDir();
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html>');
  writeFileSync(path.join(dist, 'build-inputs.json'), JSON.stringify(inputs));
  return dist;
}

describe('the web app build', () => {
  it('records the source files it was built from, and is fresh while they are unchanged', async () => {
    const dist = tempDir();
    await buildClient(dist);
    const inputs = JSON.parse(readFileSync(path.join(dist, 'build-inputs.json'), 'utf8')) as Record<string, string>;
    // The pages, the modules they share with the server, and what changes a bundle without being in it.
    expect(Object.keys(inputs)).toEqual(expect.arrayContaining(['src/client/App.tsx', 'src/client/index.html', 'src/client/styles.css', 'src/payment/plans.ts', 'vite.config.ts', 'package-lock.json']));
    expect(Object.keys(inputs).some((file) => file.includes('node_modules'))).toBe(false);
    expect(inputs['src/payment/plans.ts']).toBe(sha256('src/payment/plans.ts'));
    expect(isBuildFresh(dist)).toBe(true);
  });

  it('is stale when a recorded file changed or is gone, or when there is no build or a damaged record', () => {
    expect(isBuildFresh(fakeBuild({ 'src/payment/plans.ts': sha256('src/payment/plans.ts') }))).toBe(true);
    expect(isBuildFresh(fakeBuild({ 'src/payment/plans.ts': sha256('src/payment/money.ts') }))).toBe(false);
    expect(isBuildFresh(fakeBuild({ 'src/client/Removed.tsx': sha256('src/payment/plans.ts') }))).toBe(false);
    expect(isBuildFresh(tempDir())).toBe(false);
    const damaged = fakeBuild({});
    writeFileSync(path.join(damaged, 'build-inputs.json'), '{ not json');
    expect(isBuildFresh(damaged)).toBe(false);
  });
});
