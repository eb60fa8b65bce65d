import type { AuditActor } from '../audit/recordAudit.js';
import { coreEnv } from '../config/env.js';
import { db, type Tx } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { noticeAccessEnded, noticeTrialEnding, type NoticeTarget } from './engine/subscriptionNotices.js';
import { trialNoticeHorizon } from './trial.js';

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
 * Each due workspace is claimed by a conditional UPDATE that sets its marker (trialEndingNotifiedAt,
 * graceExpiredAt) only while unset, with SKIP LOCKED: several server processes sweeping at once, or the
 * engine writing the same row, never record a step twice. The audit event and the owners' email are
 * written in the claim's transaction. Access itself does not wait for this: hasAccess derives it from
 * pastDueSince at read time. `now`: the clock of this pass (tests run it at a processor's clock).
 */
export async function runBillingSweep(options: { now?: Date } = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const graceStartedBefore = new Date(now.getTime() - coreEnv().PAYMENTS_DUNNING_GRACE_DAYS * DAY_MS);
  const trialEnding = Prisma.sql`"subscriptionStatus" = 'trialing' AND "trialEnd" > ${now} AND "trialEnd" <= ${trialNoticeHorizon(now)}`;
  const graceOver = Prisma.sql`"subscriptionStatus" = 'past_due' AND "pastDueSince" <= ${graceStartedBefore}`;
  return {
    trialEndingNotified: await claimAndNotify('trialEndingNotifiedAt', trialEnding, now, (tx, w) => noticeTrialEnding(tx, SYSTEM, w, w.trialEnd!)),
    accessEnded: await claimAndNotify('graceExpiredAt', graceOver, now, (tx, w) => noticeAccessEnded(tx, SYSTEM, w, w.pastDueSince!)),
  };
}

/** Sets `marker` on a batch of `due` workspaces where it is unset, and writes each one's notice in the same transaction. */
async function claimAndNotify(
  marker: 'trialEndingNotifiedAt' | 'graceExpiredAt',
  due: Prisma.Sql,
  now: Date,
  notice: (tx: Tx, w: Claimed) => Promise<void>,
): Promise<number> {
  const column = Prisma.raw(`"${marker}"`);
  return db().$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<Claimed[]>`
      UPDATE "Workspace" w SET ${column} = ${now}
      FROM (SELECT id FROM "Workspace" WHERE ${due} AND ${column} IS NULL LIMIT ${BATCH_SIZE} FOR UPDATE SKIP LOCKED) due
      WHERE w.id = due.id
      RETURNING w.id, w.name, w."subscriptionId", w."subscriptionPlan", w."trialEnd", w."pastDueSince"`;
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
