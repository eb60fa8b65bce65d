import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

// Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it): playwright-core downloads no browser.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
export const DESKTOP = { width: 1280, height: 860 };

export interface Browser {
  page: Page;
  context: BrowserContext;
  /**
   * What went wrong in the pages since the last call (and clears it): uncaught errors and console
   * errors, CSP violations among them. An API's 4xx answer logs "Failed to load resource" too: that
   * is the app answering as designed (shown in words), not a problem.
   */
  takeProblems: () => string[];
  /** Saves a full-page screenshot as e2e-tests/artifacts/<name>.png. */
  screenshot: (name: string) => Promise<void>;
  close: () => Promise<void>;
}

/** Chromium on a fresh profile folder (cookies, storage), removed on close. */
export async function openBrowser(): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'billing-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: DESKTOP,
    acceptDownloads: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    problems.push(`console error at ${message.location().url}: ${message.text()}`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    page,
    context,
    takeProblems: () => {
      const taken = problems;
      problems = [];
      return taken;
    },
    screenshot: async (name) => void (await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
