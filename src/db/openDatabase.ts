import path from 'node:path';
import { createPrismaClient, type Db } from './client.js';
import { startEmbeddedPostgres } from './embeddedPostgres.js';
import { migrate } from './migrate.js';

export interface OpenDatabase {
  prisma: Db;
  /** How the database was chosen, for the startup log. */
  description: string;
  close: () => Promise<void>;
  /** Resolves with a reason if the embedded PostgreSQL died under the app (never for DATABASE_URL). */
  lost: Promise<string>;
}

/**
 * DATABASE_URL when set; otherwise a real PostgreSQL server embedded under dataDir/postgres, started
 * and stopped with the app (`shareRunning`: or the one running there already, see startEmbeddedPostgres).
 * Either way, pending migrations are applied before the app serves.
 */
export async function openDatabase(databaseUrl: string | undefined, dataDir: string, options: { shareRunning?: boolean } = {}): Promise<OpenDatabase> {
  let url = databaseUrl;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let lost = new Promise<string>(() => {});
  let description = 'PostgreSQL at DATABASE_URL';
  if (!url) {
    const dir = path.resolve(dataDir, 'postgres');
    const embedded = await startEmbeddedPostgres(dir, { shareRunning: options.shareRunning });
    stopEmbedded = embedded.stop;
    lost = embedded.exited.then((how) => `the embedded PostgreSQL in ${dir} ${how}`);
    url = embedded.url('postgres');
    description = `embedded PostgreSQL in ${dir} (set DATABASE_URL to use your own)`;
  }
  try {
    await migrate(url);
  } catch (error) {
    await stopEmbedded?.();
    throw error;
  }
  const prisma = createPrismaClient(url);
  return {
    prisma,
    description,
    lost,
    close: async () => {
      await prisma.$disconnect();
      await stopEmbedded?.();
    },
  };
}
