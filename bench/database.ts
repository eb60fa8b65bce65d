// The benchmark's own embedded PostgreSQL (a temp data dir), its migrated database, and bulk seeding.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createPrismaClient, useDb, type Db } from '../src/db/client.js';
import { startEmbeddedPostgres } from '../src/db/embeddedPostgres.js';
import { migrate } from '../src/db/migrate.js';
import { PrismaClient } from '../src/db/generated/client.js';
import { PrismaPg } from '@prisma/adapter-pg';

export interface BenchDatabase {
  url: string;
  /** The app's client (same construction as the server's): installed with useDb(). */
  prisma: Db;
  /** A bare pg pool for seeding, counting and EXPLAIN. */
  pool: pg.Pool;
  serverVersion: string;
  settings: Record<string, string>;
  /** The postmaster's pid: its children are the backends whose CPU the real path counts. */
  postmasterPid: number;
  close: () => Promise<void>;
}

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

export async function startBenchDatabase(durable: boolean): Promise<BenchDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-bench-pg-'));
  // Run as root, PostgreSQL runs as its own user, which must be able to reach the data folder.
  if (process.getuid?.() === 0) chmodSync(dir, 0o755);
  // pg_stat_statements: the real path reads each statement's calls, time and WAL bytes per delivery.
  const server = await startEmbeddedPostgres(path.join(dir, 'data'), { persistent: false, durable, settings: ['shared_preload_libraries=pg_stat_statements'] });
  await withClient(server.url('postgres'), (client) => client.query('CREATE DATABASE bench'));
  const url = server.url('bench');
  await migrate(url);
  const postmasterPid = Number(readFileSync(path.join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const prisma = createPrismaClient(url);
  useDb(prisma);
  // The bench's own queries (seeding, counting, polling the outbox) run as their own role, so that
  // pg_stat_statements can leave them out of the app's statements.
  const observer = new URL(url);
  observer.username = 'bench_observer';
  observer.password = randomBytes(12).toString('hex');
  await withClient(url, (client) => client.query(`CREATE ROLE bench_observer LOGIN SUPERUSER PASSWORD '${observer.password}'`));
  const pool = new pg.Pool({ connectionString: observer.toString(), max: 4 });
  // pool.end() resolves before its sockets close; a server stopping right after must not crash the run.
  pool.on('error', () => {});
  const serverVersion = (await pool.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v;
  await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const names = ['shared_buffers', 'work_mem', 'max_connections', 'fsync', 'synchronous_commit', 'lc_collate', 'random_page_cost'];
  const settings: Record<string, string> = {};
  for (const row of (await pool.query<{ name: string; setting: string; unit: string | null }>('SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)', [names])).rows) {
    settings[row.name] = row.unit ? `${row.setting} (${row.unit})` : row.setting;
  }
  settings.datcollate = (await pool.query<{ c: string }>('SELECT datcollate AS c FROM pg_database WHERE datname = current_database()')).rows[0]!.c;
  return {
    url,
    prisma,
    pool,
    serverVersion,
    settings,
    postmasterPid,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface QueryLog {
  query: string;
  params: string;
  durationMs: number;
}

/** A second client on the same database that records every statement it sends (for round-trip counts and EXPLAIN). */
export function createLoggingClient(url: string): { prisma: Db; log: QueryLog[] } {
  const log: QueryLog[] = [];
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: 'event', level: 'query' }] });
  prisma.$on('query', (event) => log.push({ query: event.query, params: event.params, durationMs: event.duration }));
  return { prisma, log };
}

/** Runs `work` with the logging client installed as the app's client; returns what it sent. */
export async function captureQueries(db: BenchDatabase, work: () => Promise<unknown>): Promise<QueryLog[]> {
  const logging = createLoggingClient(db.url);
  useDb(logging.prisma);
  try {
    await work();
    return [...logging.log];
  } finally {
    useDb(db.prisma);
    await logging.prisma.$disconnect();
  }
}

export interface SeededWorkspace {
  id: string;
  ownerId: string;
  ownerEmail: string;
}

export interface Seed {
  admin: { id: string; email: string; isAdmin: true };
  workspaces: SeededWorkspace[];
}

const workspaceId = (prefix: string, i: number) => `00000000-0000-4000-8${prefix}-${String(i).padStart(12, '0')}`;

/** `count` workspaces, each owned by its own user, plus one site admin. Ids are UUID-shaped and predictable. */
export async function seedWorkspaces(pool: pg.Pool, count: number, prefix: string): Promise<SeededWorkspace[]> {
  await pool.query(
    `INSERT INTO "User" (id, email, "passwordHash")
     SELECT 'bench-${prefix}-user-' || g, 'owner-${prefix}-' || g || '@bench.example', 'unused' FROM generate_series(1, $1) g`,
    [count],
  );
  await pool.query(
    `INSERT INTO "Workspace" (id, name)
     SELECT '00000000-0000-4000-8${prefix}-' || lpad(g::text, 12, '0'), 'Bench workspace ${prefix} ' || g FROM generate_series(1, $1) g`,
    [count],
  );
  await pool.query(
    `INSERT INTO "Membership" ("workspaceId", "userId", role)
     SELECT '00000000-0000-4000-8${prefix}-' || lpad(g::text, 12, '0'), 'bench-${prefix}-user-' || g, 'owner' FROM generate_series(1, $1) g`,
    [count],
  );
  return Array.from({ length: count }, (_, k) => ({ id: workspaceId(prefix, k + 1), ownerId: `bench-${prefix}-user-${k + 1}`, ownerEmail: `owner-${prefix}-${k + 1}@bench.example` }));
}

export async function seed(pool: pg.Pool, workspaces: number): Promise<Seed> {
  await pool.query(`INSERT INTO "User" (id, email, "passwordHash", "isAdmin") VALUES ('bench-admin', 'admin@bench.example', 'unused', true)`);
  return { admin: { id: 'bench-admin', email: 'admin@bench.example', isAdmin: true }, workspaces: await seedWorkspaces(pool, workspaces, '000') };
}
