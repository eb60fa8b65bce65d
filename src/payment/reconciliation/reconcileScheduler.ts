import { db } from '../../db/client.js';
import type { ProcessorDriver } from '../paymentProcessor.js';
import { reconcileEach, reconcilingProcessor, type ReconcileSummary, type ReconcilingProcessor } from './reconcile.js';

/**
 * One reconciliation pass of every workspace, unless another server process is running one: the pass
 * holds a transaction-scoped advisory lock in a transaction of its own, while the workspaces are
 * reconciled on other connections. Returns null when the lock was taken. (Two passes at once would
 * still be correct, each workspace is repaired under its row lock; the lock saves the processor the
 * second round of calls.) If a pass outlives `maxMs`, its lock transaction ends and the lock is free.
 */
export async function reconcileUnlessRunning(processors: ReconcilingProcessor[], maxMs: number, signal?: AbortSignal): Promise<ReconcileSummary | null> {
  return db().$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext('billing:reconcile')) AS locked`;
      return row?.locked ? reconcileEach(processors, { type: 'system' }, signal) : null;
    },
    { timeout: maxMs, maxWait: 10_000 },
  );
}

export interface ReconcileScheduler {
  /** Stops the timer; a pass in progress ends after the workspace it is on. */
  stop(): Promise<void>;
}

/**
 * The server's periodic reconciliation (PAYMENTS_RECONCILE_INTERVAL_MINUTES): a pass every `intervalMs`,
 * the first one interval after start, never two at once in this process nor (by the lock) across
 * processes. Logs what it repaired or could not reconcile.
 */
export function startReconcileScheduler(processors: ReconcilingProcessor[], intervalMs: number): ReconcileScheduler {
  let running: Promise<void> | null = null;
  const stopping = new AbortController();
  const pass = async () => {
    try {
      const summary = await reconcileUnlessRunning(processors, intervalMs, stopping.signal);
      if (summary && summary.byOutcome.unchanged < summary.workspaces) {
        console.log(`Reconciled ${summary.workspaces} workspaces: ${JSON.stringify(summary.byOutcome)}`);
        for (const f of summary.failed) console.log(`  could not reconcile workspace ${f.workspaceId}: ${f.error}`);
      }
    } catch (error) {
      console.error(`Reconciliation pass failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const timer = setInterval(() => {
    running ??= pass().finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      stopping.abort();
      await running;
    },
  };
}

/**
 * The server's periodic reconciliation when PAYMENTS_RECONCILE_INTERVAL_MINUTES is set (null when not),
 * with its line for the startup log. Processors that cannot be reconciled are left out, saying so.
 */
export function periodicReconciliation(processors: readonly ProcessorDriver[], minutes: number | undefined): (ReconcileScheduler & { description: string }) | null {
  if (minutes === undefined) return null;
  const reconciling = processors.map((processor) => reconcilingProcessor(processor)).filter((processor) => processor !== null);
  const left = processors.filter((processor) => !reconcilingProcessor(processor)).map((processor) => `the ${processor.id} processor cannot fetch a customer's state`);
  if (reconciling.length === 0) return { description: `off: ${left.join('; ')}`, stop: async () => {} };
  const leftOut = left.length > 0 ? `; not for ${left.join('; ')}` : '';
  return { ...startReconcileScheduler(reconciling, minutes * 60_000), description: `every ${minutes} minutes (one server at a time)${leftOut}` };
}
