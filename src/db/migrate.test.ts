import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { adminQuery, createTestDatabase } from '../test/testDatabase.js';
import { migrate, MIGRATIONS_DIR, readMigrations } from './migrate.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function migrationsDir(migrations: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(migrations)) {
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe('migration runner', () => {
  it('applies every migration once and records it where prisma migrate deploy looks', async () => {
    const { url } = await createTestDatabase();
    expect(await migrate(url)).toEqual([]); // createTestDatabase already applied them all
    const rows = await query(url, 'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    expect(rows).toEqual(readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });

  it('applies only new migrations, in name order', async () => {
    const { url } = await createTestDatabase();
    const dir = migrationsDir({ '2_second': 'CREATE TABLE b (id int REFERENCES a(id));', '1_first': 'CREATE TABLE a (id int PRIMARY KEY);' });
    expect(await migrate(url, dir)).toEqual(['1_first', '2_second']);
    mkdirSync(path.join(dir, '3_third'));
    writeFileSync(path.join(dir, '3_third', 'migration.sql'), 'ALTER TABLE a ADD COLUMN name text;');
    expect(await migrate(url, dir)).toEqual(['3_third']);
  });

  it('rolls back a failing migration completely and records nothing for it', async () => {
    const { url } = await createTestDatabase();
    const dir = migrationsDir({ '1_ok': 'CREATE TABLE ok (id int);', '2_broken': 'CREATE TABLE half (id int); SELECT * FROM no_such_table;' });
    await expect(migrate(url, dir)).rejects.toThrow(/Migration 2_broken failed: relation "no_such_table" does not exist/);
    expect(await query(url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
    expect(await query(url, `SELECT migration_name FROM "_prisma_migrations" WHERE migration_name IN ('1_ok', '2_broken')`)).toEqual([{ migration_name: '1_ok' }]);
  });

  it('refuses a migration edited after it was applied', async () => {
    const { url } = await createTestDatabase();
    const dir = migrationsDir({ '1_table': 'CREATE TABLE t (id int);' });
    await migrate(url, dir);
    writeFileSync(path.join(dir, '1_table', 'migration.sql'), 'CREATE TABLE t (id bigint);');
    await expect(migrate(url, dir)).rejects.toThrow('Migration 1_table was edited after it was applied (checksum differs); add a new migration instead');
  });

  it('lets concurrent servers migrate one database without applying anything twice', async () => {
    const { url } = await createTestDatabase();
    const dir = migrationsDir({ '1_once': 'CREATE TABLE once (id int);' });
    const results = await Promise.all([migrate(url, dir), migrate(url, dir), migrate(url, dir)]);
    expect(results.flat()).toEqual(['1_once']);
  });
});

describe('data migrations', () => {
  /** A database migrated only up to (not including) `before`, so a test can write rows an older version wrote. */
  async function databaseBefore(before: string): Promise<string> {
    const adminUrl = inject('postgresAdminUrl');
    const name = `test_${randomUUID().replaceAll('-', '')}`;
    await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
    onTestFinished(() => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const older = readMigrations().filter((m) => m.name < before);
    await migrate(url.toString(), migrationsDir(Object.fromEntries(older.map((m) => [m.name, readFileSync(path.join(MIGRATIONS_DIR, m.name, 'migration.sql'), 'utf8')]))));
    return url.toString();
  }

  it('gives existing audit events their action family and turns a stranded `processing` delivery into `failed`', async () => {
    const url = await databaseBefore('20261123230000_audit_action_family');
    await query(url, `INSERT INTO "AuditEvent" (id, "actorType", action) VALUES ('a1', 'system', 'payment.succeeded'), ('a2', 'system', 'payment')`);
    await query(url, `INSERT INTO "WebhookDelivery" (id, processor, "eventId", type, status, payload) VALUES ('d1', 'stripe', 'evt_1', 't', 'processing', '{}'), ('d2', 'stripe', 'evt_2', 't', 'processed', '{}')`);
    await migrate(url);
    expect(await query(url, `SELECT id, "actionFamily" FROM "AuditEvent" ORDER BY id`)).toEqual([{ id: 'a1', actionFamily: 'payment.' }, { id: 'a2', actionFamily: '' }]);
    expect(await query(url, `SELECT id, status FROM "WebhookDelivery" ORDER BY id`)).toEqual([{ id: 'd1', status: 'failed' }, { id: 'd2', status: 'processed' }]);
  });
});
