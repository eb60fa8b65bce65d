// What PostgreSQL did per delivery, from pg_stat_statements (loaded by the bench database): each
// statement's calls, rows, execution time and WAL bytes, and the WAL the whole run wrote.
import type pg from 'pg';

export interface StatementRow {
  query: string;
  callsPerDelivery: number;
  rowsPerCall: number;
  msPerDelivery: number;
  walBytesPerDelivery: number;
}

export interface StatementProfile {
  statementsPerDelivery: number;
  msPerDelivery: number;
  walBytesPerDelivery: number;
  top: StatementRow[];
}

// The bench's pool runs as its own role (bench/database.ts): its queries are left out.
const OTHERS = `userid <> (SELECT oid FROM pg_roles WHERE rolname = current_user)`;

export async function resetStatements(pool: pg.Pool): Promise<string> {
  await pool.query('SELECT pg_stat_statements_reset()');
  return (await pool.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn')).rows[0]!.lsn;
}

/** Statements since resetStatements() (whose answer is `fromLsn`), per delivery, the most time first. */
export async function readStatements(pool: pg.Pool, fromLsn: string, deliveries: number, limit = 12): Promise<StatementProfile> {
  const { rows } = await pool.query<{ query: string; calls: string; rows: string; ms: number; wal: string }>(
    `SELECT query, calls, rows, total_exec_time AS ms, wal_bytes AS wal FROM pg_stat_statements
     WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND ${OTHERS} ORDER BY total_exec_time DESC`,
  );
  const wal = (await pool.query<{ bytes: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::bigint AS bytes`, [fromLsn])).rows[0]!.bytes;
  const per = (n: number) => n / deliveries;
  const statements = rows.map((r) => ({
    query: r.query.replace(/\s+/g, ' ').trim(),
    callsPerDelivery: per(Number(r.calls)),
    rowsPerCall: Number(r.rows) / Math.max(1, Number(r.calls)),
    msPerDelivery: per(r.ms),
    walBytesPerDelivery: per(Number(r.wal)),
  }));
  return {
    statementsPerDelivery: statements.reduce((sum, s) => sum + s.callsPerDelivery, 0),
    msPerDelivery: statements.reduce((sum, s) => sum + s.msPerDelivery, 0),
    walBytesPerDelivery: per(Number(wal)),
    top: statements.slice(0, limit),
  };
}
