// Start-up: from spawning `npm start` (embedded defaults: PostgreSQL, Stripe emulator, SMTP capture) to the
// first 200 from /healthz; once on a fresh DATA_DIR (initdb + migrations), once more on the same dir.
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../src/server/freePort.js';
import { nowMs } from './stats.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export interface StartupTiming {
  label: string;
  /** Spawn to the "listening on" line. */
  listeningMs: number;
  /** Spawn to the first healthy /healthz. */
  healthyMs: number;
  /** SIGTERM to exit. */
  stopMs: number;
}

async function startOnce(label: string, env: Record<string, string>): Promise<StartupTiming> {
  const t0 = nowMs();
  const child = spawn('npm', ['start', '--silent'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  let listeningMs = NaN;
  child.stdout.on('data', (chunk) => {
    output += chunk;
    if (Number.isNaN(listeningMs) && output.includes('listening on')) listeningMs = nowMs() - t0;
  });
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let exitedEarly = false;
  void exited.then(() => (exitedEarly = true));
  const url = `http://127.0.0.1:${env.PORT}/healthz`;
  let healthyMs = NaN;
  let failure: Error | undefined;
  while (Number.isNaN(healthyMs) && !failure) {
    if (exitedEarly) failure = new Error(`npm start exited before it was healthy:\n${output}`);
    else if (nowMs() - t0 > 120_000) failure = new Error(`npm start was not healthy within 120 s:\n${output}`);
    else if (await fetch(url).then((res) => res.ok, () => false)) healthyMs = nowMs() - t0;
    else await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const s0 = nowMs();
  // npm runs the server in a child: signal the whole group (only the group this function started).
  if (!exitedEarly) process.kill(-child.pid!, 'SIGTERM');
  await exited;
  const stopMs = nowMs() - s0;
  if (failure) throw failure;
  return { label, listeningMs, healthyMs, stopMs };
}

export async function measureStartup(): Promise<StartupTiming[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-bench-start-'));
  if (process.getuid?.() === 0) chmodSync(dataDir, 0o755);
  // A fixed port for both starts, as APP_URL (the emulator's webhook target) derives from it.
  const env = { DATA_DIR: dataDir, PORT: String(await freePort()) };
  try {
    return [await startOnce('fresh DATA_DIR (initdb, migrations, emulator, SMTP capture)', env), await startOnce('second start on the same DATA_DIR', env)];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
