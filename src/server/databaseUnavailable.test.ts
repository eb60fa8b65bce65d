import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPrismaClient } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embeddedPostgres.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { freePort } from './freePort.js';
import { HttpError } from './HttpError.js';
import { isDatabaseUnavailable } from './databaseUnavailable.js';

// The errors come from a real PostgreSQL going away under a real Prisma client, not from hand-made objects.
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('isDatabaseUnavailable', () => {
  it('recognizes PostgreSQL shut down under open connections, and refused connections after', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'billing-dbloss-'));
    chmodSync(dir, 0o755);
    const postgres = await startEmbeddedPostgres(path.join(dir, 'pg'), { persistent: false });
    const prisma = createPrismaClient(postgres.url('postgres'));
    try {
      // Open sessions in the pool, then a fast shutdown terminates them ("administrator command", 57P01).
      await Promise.all([prisma.$queryRaw`SELECT 1`, prisma.$queryRaw`SELECT pg_sleep(0.05)::text`]);
      await postgres.stop();
      const failures = await Promise.all([
        failureOf(prisma.$queryRaw`SELECT 1`),
        failureOf(prisma.user.findFirst()),
        failureOf(prisma.$transaction(async (tx) => tx.user.count())),
        failureOf(prisma.$queryRaw`SELECT 1`),
      ]);
      for (const failure of failures) {
        expect(failure, String(failure)).toBeDefined();
        expect(isDatabaseUnavailable(failure), String(failure)).toBe(true);
      }
    } finally {
      await prisma.$disconnect();
      await postgres.stop(); // again when the test failed before stopping it: no PostgreSQL left behind
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('recognizes a port nothing listens on', async () => {
    const prisma = createPrismaClient(`postgresql://postgres:postgres@127.0.0.1:${await freePort()}/postgres`);
    const failure = await failureOf(prisma.$queryRaw`SELECT 1`);
    await prisma.$disconnect();
    expect(isDatabaseUnavailable(failure)).toBe(true);
  });

  it('leaves query errors, constraint violations and app errors alone (they are not 503s)', async () => {
    const { prisma } = await createTestDatabase();
    await prisma.user.create({ data: { email: 'dup@example.com', passwordHash: 'x' } });
    const failures = [
      await failureOf(prisma.user.create({ data: { email: 'dup@example.com', passwordHash: 'x' } })),
      await failureOf(prisma.$queryRawUnsafe('SELECT * FROM no_such_table')),
      await failureOf(prisma.$queryRaw`SELECT ${'\u0000'}::text`),
      new HttpError(409, 'conflict'),
      new Error('something else'),
    ];
    for (const failure of failures) expect(isDatabaseUnavailable(failure), String(failure)).toBe(false);
  });
});
