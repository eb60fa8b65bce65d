import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, inject, it } from 'vitest';

// The fake processor is the template a newcomer copies (src/payment/fake/README.md). This copies it as
// a newcomer would, into a copy of the tree in a temporary directory (so a failed run leaves nothing in
// src/payment), renames it to `acme` and nothing else, registers it, and runs its own tests, the contract
// suites, the fuzz suite's parsing and the registry check on the copy.
const ROOT = path.resolve(import.meta.dirname, '../..');
const SKIPPED = new Set(['node_modules', '.git', '.data', 'dist', 'test-results']);

const tree = mkdtempSync(path.join(tmpdir(), 'billing-template-'));
afterAll(() => rmSync(tree, { recursive: true, force: true }));

/** fake → acme in every name and text, in each case the folder writes it. */
const rename = (text: string) => text.replaceAll('fake', 'acme').replaceAll('Fake', 'Acme').replaceAll('FAKE', 'ACME');

function copyRenamed(from: string, to: string): void {
  mkdirSync(to);
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const [source, target] = [path.join(from, entry.name), path.join(to, rename(entry.name))];
    if (entry.isDirectory()) copyRenamed(source, target);
    else writeFileSync(target, rename(readFileSync(source, 'utf8')));
  }
}

it('a copy of src/payment/fake renamed to acme passes every contract suite with no other edit', { timeout: 600_000 }, async () => {
  cpSync(ROOT, tree, { recursive: true, filter: (source) => !SKIPPED.has(path.basename(source)) });
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  copyRenamed(path.join(tree, 'src/payment/fake'), path.join(tree, 'src/payment/acme'));

  const run = promisify(execFile);
  const options = { cwd: tree, env: { ...process.env, TEST_DATABASE_URL: inject('postgresAdminUrl') }, maxBuffer: 64 * 1024 * 1024 };
  await run(process.execPath, ['--import', 'tsx', 'scripts/registerProcessors.ts'], options);
  expect(readFileSync(path.join(tree, 'src/payment/processorModules.ts'), 'utf8')).toContain("import { processorModule as acme } from './acme/processorModule.js';");

  const suites = ['src/payment/acme', 'src/payment/contract', 'src/reliability/fuzz.test.ts', 'src/payment/processorModules.test.ts'];
  const only = 'acme|finds a contract harness for every processor folder|has a webhook kit for every registered processor|the processor registry';
  const result = await run(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...suites, '-t', only, '--reporter', 'json'], options).catch((error: { stdout: string }) => error);
  const report = JSON.parse(result.stdout) as { testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[] };
  const ran = report.testResults.flatMap((file) => file.assertionResults).filter((test) => test.status !== 'skipped' && test.status !== 'pending');
  expect(ran.filter((test) => test.status !== 'passed').map((test) => test.fullName)).toEqual([]);
  expect(ran.filter((test) => test.fullName.startsWith('the processor registry'))).toHaveLength(2);
  // The copy's own tests, every contract suite and the fuzz suite ran on acme.
  const onAcme = report.testResults.filter((file) => file.assertionResults.some((test) => test.fullName.includes('acme') && test.status === 'passed'));
  const contractSuites = readdirSync(path.join(ROOT, 'src/payment/contract')).filter((name) => name.endsWith('.test.ts'));
  const ownTests = readdirSync(path.join(ROOT, 'src/payment/fake'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.test.ts'));
  expect(onAcme.map((file) => path.basename(file.name)).sort()).toEqual([...ownTests.map((name) => rename(path.basename(name))), ...contractSuites, 'fuzz.test.ts'].sort());
});
