import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { createPrismaClient, useDb, type Db } from '../db/client.js';
import { migrate } from '../db/migrate.js';

/** A fresh, migrated database for one test file on the run's PostgreSQL server; dropped afterwards. */
export async function createTestDatabase(): Promise<{ prisma: Db; url: string }> {
  const adminUrl = inject('postgresAdminUrl');
  const name = `test_${randomUUID().replaceAll('-', '')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  const prisma = createPrismaClient(url.toString());
  useDb(prisma);
  afterAll(async () => {
    await prisma.$disconnect();
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  return { prisma, url: url.toString() };
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
