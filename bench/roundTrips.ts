// What one statement and one transaction cost through each client, to explain the pipeline/floor gap:
// bare pg versus Prisma (PrismaPg adapter), a trivial statement and an interactive transaction.
import pg from 'pg';
import { db } from '../src/db/client.js';
import { sample, type Summary } from './stats.js';

export interface RoundTripRow {
  label: string;
  summary: Summary;
  /** This process's CPU (user + system) per call, in ms. */
  cpuMsPerCall: number;
}

export async function measureRoundTrips(url: string, workspaceId: string, samples: number): Promise<RoundTripRow[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const opts = { min: samples, max: samples, budgetMs: 0 };
  const statements = 10;
  const rows: RoundTripRow[] = [];
  const add = async (label: string, work: () => Promise<unknown>) => {
    const cpu0 = process.cpuUsage();
    const summary = await sample(work, opts);
    const cpu = process.cpuUsage(cpu0);
    rows.push({ label, summary, cpuMsPerCall: (cpu.user + cpu.system) / 1000 / (summary.n + 1) });
  };
  try {
    await add('pg: SELECT 1', () => client.query('SELECT 1'));
    await add('Prisma: $queryRaw SELECT 1', () => db().$queryRaw`SELECT 1`);
    await add('pg: SELECT * FROM "Workspace" WHERE id = $1', () => client.query('SELECT * FROM "Workspace" WHERE id = $1', [workspaceId]));
    await add('Prisma: workspace.findUnique({ where: { id } })', () => db().workspace.findUnique({ where: { id: workspaceId } }));
    await add('pg: BEGIN; SELECT 1; COMMIT', async () => {
      await client.query('BEGIN');
      await client.query('SELECT 1');
      await client.query('COMMIT');
    });
    await add('Prisma: $transaction(async (tx) => tx.$queryRaw SELECT 1)', () => db().$transaction(async (tx) => tx.$queryRaw`SELECT 1`));
    await add(`pg: BEGIN; ${statements} × SELECT 1; COMMIT`, async () => {
      await client.query('BEGIN');
      for (let i = 0; i < statements; i++) await client.query('SELECT 1');
      await client.query('COMMIT');
    });
    await add(`Prisma: $transaction with ${statements} × $queryRaw SELECT 1`, () =>
      db().$transaction(async (tx) => {
        for (let i = 0; i < statements; i++) await tx.$queryRaw`SELECT 1`;
      }),
    );
  } finally {
    await client.end();
  }
  return rows;
}
