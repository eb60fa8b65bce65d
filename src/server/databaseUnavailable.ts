/**
 * Whether an error means "PostgreSQL cannot be reached right now" (down, restarting, connection refused,
 * reset or terminated, pool exhausted) rather than a bad query: those answer 503 with Retry-After, so
 * browsers, operators and payment processors retry instead of seeing a 500. The one place that knows
 * the codes: Prisma's, the pg driver adapter's error kinds, SQLSTATEs, socket errors and pg's messages.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return causesOf(error).some(
    (e) =>
      PRISMA_CODES.has(String(e.code)) ||
      ADAPTER_KINDS.has(String(e.kind)) ||
      SQLSTATES.test(String(e.code ?? e.originalCode)) ||
      SOCKET_CODES.has(String(e.code)) ||
      PG_MESSAGES.test(String(e.message ?? '')),
  );
}

/** Seconds a client should wait before retrying: long enough for a PostgreSQL restart. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the connection,
// P2024 timed out fetching a connection from the pool.
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
const ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
// Class 08 connection exceptions; 57P01-57P03 admin/crash shutdown, cannot connect now; 53300 too many connections.
const SQLSTATES = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
// pg raises these as plain Errors without a code; the adapter rethrows them unchanged.
const PG_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Can't reach database server|the database system is (shutting down|starting up|in recovery mode)/i;

type Fields = { code?: unknown; kind?: unknown; originalCode?: unknown; message?: unknown };

/** The error, its `cause` chain, the driver adapter's error Prisma keeps in `meta`, and AggregateErrors' members. */
function causesOf(error: unknown, seen = new Set<unknown>()): Fields[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const e = error as Fields & { cause?: unknown; meta?: { driverAdapterError?: unknown }; errors?: unknown };
  const nested = [e.cause, e.meta?.driverAdapterError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return [e, ...nested.flatMap((n) => causesOf(n, seen))];
}
