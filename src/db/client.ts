import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.js';

export type Db = PrismaClient;
/** The client handed to a `db.$transaction(async (tx) => ...)` callback. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>;

export function createPrismaClient(databaseUrl: string): Db {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

// The app's one client. Operations and the engine reach it through db(), so the standalone server,
// a Wasp adapter (which hands over its own client) and each test file can each install theirs.
let current: Db | undefined;

export function useDb(client: Db): void {
  current = client;
}

export function db(): Db {
  if (!current) throw new Error('Database not initialised: call useDb() (the server does this at startup)');
  return current;
}
