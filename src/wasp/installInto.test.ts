import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const app = mkdtempSync(path.join(tmpdir(), 'wasp-install-'));
cpSync(path.join(root, 'scripts/wasp/openSaas'), app, { recursive: true });
const install = () => promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/wasp/installInto.ts', app], { cwd: root });

afterAll(() => rmSync(app, { recursive: true, force: true }));

// `npm run wasp:install` on the open-saas-shaped app of the wasp:compile check, which compiles the result.
describe('npm run wasp:install', () => {
  it("copies what the app's spec reaches, the pages with their Wasp backend, and lists the dependencies", async () => {
    const { stdout } = await install();
    expect(stdout).toMatch(/Copied \d+ files/);
    expect(stdout).toContain('"prisma-client-7": "npm:@prisma/client@');
    expect(existsSync(path.join(app, 'src/wasp/billing.wasp.ts'))).toBe(true);
    expect(readFileSync(path.join(app, 'src/client/pages/BillingPage.tsx'), 'utf8')).toContain("from '../../wasp/adapters/client/api.js'");
    // Neither the standalone client nor the plugin's own log-in pages (the app has its own auth).
    expect(existsSync(path.join(app, 'src/client/api.ts'))).toBe(false);
    expect(existsSync(path.join(app, 'src/client/pages/LoginPage.tsx'))).toBe(false);
  });

  it('stops before writing when a file of the app differs from the plugin file at its path', async () => {
    appendFileSync(path.join(app, 'src/payment/plans.ts'), '// the app’s own plans\n');
    rmSync(path.join(app, 'src/wasp/billing.wasp.ts'));
    await expect(install()).rejects.toThrow(/differ from the plugin's[^]*src\/payment\/plans\.ts/);
    expect(existsSync(path.join(app, 'src/wasp/billing.wasp.ts'))).toBe(false);
  });
});
