// The real path's processes (the app as `npm start` runs it, the naive peer, the SMTP sink), each its own
// Node, and the CPU each one (and PostgreSQL's backends) spent, read from /proc as `top` would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/server/freePort.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
// Linux counts process CPU in clock ticks; 100 per second on every kernel Node supports here.
const MS_PER_TICK = 10;

export interface NodeProcess {
  pid: number;
  port: number;
  stop: () => Promise<void>;
}

/** Starts `node --import tsx <script>` on a free PORT and resolves once its stdout says `ready`. */
async function startNode(script: string, env: Record<string, string>, ready: RegExp, nodeArgs: string[] = []): Promise<NodeProcess> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The output is kept (the last 4 kB, for an error) and read promptly: a full pipe would block the child.
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', () => ready.test(output) && resolve());
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code} before it was ready:\n${output}`)));
  });
  return {
    pid: child.pid!,
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface AppProcess extends NodeProcess {
  dataDir: string;
}

/**
 * The app exactly as `npm start` runs it in development (both processors on their emulators, which the
 * webhook path never calls), on the bench's durable PostgreSQL, sending mail to the SMTP sink.
 */
export async function startAppProcess(o: { databaseUrl: string; smtpPort: number; secrets: Record<'stripe' | 'lemonsqueezy', string>; nodeArgs?: string[] }): Promise<AppProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'billing-bench-app-'));
  const app = await startNode(
    'src/server/main.ts',
    {
      NODE_ENV: 'development',
      DATA_DIR: dataDir,
      DATABASE_URL: o.databaseUrl,
      PAYMENTS_PROCESSORS: 'stripe,lemonsqueezy',
      STRIPE_WEBHOOK_SECRET: o.secrets.stripe,
      LEMONSQUEEZY_WEBHOOK_SECRET: o.secrets.lemonsqueezy,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(o.smtpPort),
      ADMIN_EMAILS: 'admin@bench.example',
    },
    /Billing server listening/,
    o.nodeArgs,
  );
  return {
    ...app,
    dataDir,
    stop: async () => {
      await app.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function startNaiveProcess(o: { databaseUrl: string; secrets: Record<'stripe' | 'lemonsqueezy', string> }): Promise<NodeProcess> {
  return startNode(
    'bench/realPath/naiveServer.ts',
    { DATABASE_URL: o.databaseUrl, STRIPE_WEBHOOK_SECRET: o.secrets.stripe, LEMONSQUEEZY_WEBHOOK_SECRET: o.secrets.lemonsqueezy },
    /naive handler listening/,
  );
}

export function startSmtpSinkProcess(): Promise<NodeProcess> {
  return startNode('bench/realPath/smtpSink.ts', {}, /smtp sink listening/);
}

/** utime, stime and (for the postmaster, whose exited backends count there) cutime, cstime, in ms. */
function cpuOf(pid: number, withChildren: boolean): { ms: number; ppid: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // it ended between the listing and the read
  }
  // Fields after the command (which may hold spaces) in parentheses: state is field 3, utime field 14.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const ticks = fields[11]! + fields[12]! + (withChildren ? fields[13]! + fields[14]! : 0);
  return { ms: ticks * MS_PER_TICK, ppid: fields[1]! };
}

/** CPU a process has used so far, in ms. */
export function processCpuMs(pid: number): number {
  return cpuOf(pid, false)?.ms ?? NaN;
}

/** CPU the PostgreSQL server has used so far: the postmaster, its exited children and its live backends. */
export function postgresCpuMs(postmasterPid: number): number {
  let total = cpuOf(postmasterPid, true)?.ms ?? 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cpu = cpuOf(Number(entry), false);
    if (cpu && cpu.ppid === postmasterPid) total += cpu.ms;
  }
  return total;
}
