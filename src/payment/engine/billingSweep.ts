import type { AuditActor } from '../../audit/recordAudit.js';
import { coreEnv } from '../../config/env.js';
import { db, type Tx } from '../../db/client.js';
import { Prisma } from '../../db/generated/client.js';
import { noticeAccessEnded, noticeTrialEnding, type NoticeTarget } from './subscriptionNotices.js';
import { trialNoticeHorizon } from '../trial.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const BATCH_SIZE = 100;
const SYSTEM: AuditActor = { type: 'system' };

export interface SweepResult {
  trialEndingNotified: number;
  accessEnded: number;
}

interface Claimed extends NoticeTarget {
  trialEnd: Date | null;
  pastDueSince: Date | null;
}

/**
 * The steps that come with time rather than with a webhook: a trial ends within the notice period (for
 * processors that send no trial_will_end, Lemon Squeezy), and a past_due spell's dunning grace runs out.
 * Each due subscription is claimed by a conditional UPDATE that sets its marker (the workspace's
 * trialEndingNotifiedAt: one trial per workspace; the subscription's graceExpiredAt) only while unset,
 * with the workspace row locked SKIP LOCKED as the engine locks it: several server processes sweeping at
 * once, or the engine writing the same workspace, never record a step twice. The audit event and the
 * owners' email are written in the claim's transaction. Access itself does not wait for this: hasAccess
 * derives it from pastDueSince at read time. `now`: the clock of this pass (tests run it at a processor's clock).
 */
export async function runBillingSweep(options: { now?: Date } = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const graceStartedBefore = new Date(now.getTime() - coreEnv().PAYMENTS_DUNNING_GRACE_DAYS * DAY_MS);
  const trialEnding = Prisma.sql`s.status = 'trialing' AND s."trialEnd" > ${now} AND s."trialEnd" <= ${trialNoticeHorizon(now)} AND w."trialEndingNotifiedAt" IS NULL`;
  const graceOver = Prisma.sql`s.status = 'past_due' AND s."pastDueSince" <= ${graceStartedBefore} AND s."graceExpiredAt" IS NULL`;
  return {
    trialEndingNotified: await claimAndNotify(trialEnding, (due) => Prisma.sql`UPDATE "Workspace" SET "trialEndingNotifiedAt" = ${now} WHERE id IN (SELECT "workspaceId" FROM ${due})`, (tx, w) =>
      noticeTrialEnding(tx, SYSTEM, w, w.trialEnd!),
    ),
    accessEnded: await claimAndNotify(graceOver, (due) => Prisma.sql`UPDATE "Subscription" SET "graceExpiredAt" = ${now} WHERE id IN (SELECT id FROM ${due})`, (tx, w) =>
      noticeAccessEnded(tx, SYSTEM, w, w.pastDueSince!),
    ),
  };
}

/** Claims a batch of `due` subscriptions (locking their workspaces), sets the marker, and writes each one's notice in the same transaction. */
async function claimAndNotify(due: Prisma.Sql, mark: (dueTable: Prisma.Sql) => Prisma.Sql, notice: (tx: Tx, w: Claimed) => Promise<void>): Promise<number> {
  return db().$transaction(async (tx) => {
    // FOR UPDATE takes no DISTINCT: lock the due workspaces first, then pick one due subscription of each.
    const claimed = await tx.$queryRaw<(Claimed & { subscriptionRow: string })[]>`
      WITH locked AS (
        SELECT w.id, w.name, w."trialEndingNotifiedAt" FROM "Workspace" w
        WHERE EXISTS (SELECT 1 FROM "Subscription" s WHERE s."workspaceId" = w.id AND ${due})
        ORDER BY w.id LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED)
      SELECT DISTINCT ON (w.id) w.id, w.name, s.id AS "subscriptionRow", s."subscriptionId", s.plan AS "subscriptionPlan", s."trialEnd", s."pastDueSince"
      FROM locked w JOIN "Subscription" s ON s."workspaceId" = w.id
      WHERE ${due} ORDER BY w.id, s."processorUpdatedAt" DESC NULLS LAST`;
    if (claimed.length === 0) return 0;
    const rows = Prisma.sql`(SELECT unnest(${claimed.map((c) => c.subscriptionRow)}::text[]) AS id, unnest(${claimed.map((c) => c.id)}::text[]) AS "workspaceId") claimed`;
    await tx.$executeRaw(mark(rows));
    for (const w of claimed) await notice(tx, w);
    return claimed.length;
  });
}

export interface BillingSweep {
  /** Stops sweeping; resolves once a pass in progress has finished. */
  stop(): Promise<void>;
}

/**
 * Sweeps every `intervalMs` (passes never overlap; a failing pass is logged and the next one tries
 * again). `onNotified` runs after a pass that queued emails, e.g. to send them now.
 */
export function startBillingSweep(options: { intervalMs: number; onNotified?: () => void }): BillingSweep {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  const next = (delayMs: number) => {
    timer = setTimeout(() => {
      pass = runBillingSweep()
        .then((result) => {
          if (result.trialEndingNotified + result.accessEnded > 0) options.onNotified?.();
        })
        .catch((error: unknown) => console.error('[billing] sweep failed:', error))
        .finally(() => {
          pass = undefined;
          if (!stopped) next(options.intervalMs);
        });
    }, delayMs);
    timer.unref(); // the sweep alone must not keep the process alive
  };
  next(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
