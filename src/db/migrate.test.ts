import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from '../test/testDatabase.js';
import { migrate, readMigrations } from './migrate.js';

describe('migration runner', () => {
  it('applies every migration once and records it where prisma migrate deploy looks', async () => {
    const { url } = await createTestDatabase();
    expect(await migrate(url)).toEqual([]); // createTestDatabase already applied them all
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const rows = await client.query('SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name');
    await client.end();
    expect(rows.rows).toEqual(readMigrations().map((m) => ({ migration_name: m.name, checksum: m.checksum })));
  });
});
