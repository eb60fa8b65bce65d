import { db } from '../db/client.js';
import { renderStoredEmail } from './templates.js';

export const MAX_ATTEMPTS = 8;
const DEFAULT_BATCH_SIZE = 50;
const FIRST_RETRY_DELAY_MS = 30_000;
const MAX_RETRY_DELAY_MS = 60 * 60_000;
// A claimed row is hidden from other dispatchers this long. It must outlast one send (the transport
// gives up within a minute); if the process dies mid-send, the row is retried once the lease runs out.
export const CLAIM_LEASE_MS = 5 * 60_000;
const MAX_ERROR_LENGTH = 1_000;

/** The wait after `attempts` failed attempts: 30 s, 1 min, 2 min, ... at most 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_DELAY_MS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_DELAY_MS);
}

/** What sends the emails: a nodemailer transport, or another sender (under Wasp, its emailSender). */
export interface MailSender {
  sendMail(email: { from: string; to: string; subject: string; text: string; html: string }): Promise<unknown>;
}

export interface DispatchOptions {
  transport: MailSender;
  from: string;
  /** The clock of this pass: what is due, and when retries are scheduled. */
  now?: Date;
  /** At most this many emails per pass. */
  batchSize?: number;
}

export interface DispatchResult {
  sent: number;
  /** Gave up after MAX_ATTEMPTS: status `failed`. */
  failed: number;
  /** Failed this time, scheduled again with backoff. */
  retried: number;
}

interface ClaimedEmail {
  id: string;
  recipient: string;
  template: string;
  data: unknown;
  attempts: number;
}

/** Sends the due outbox emails, one claimed row at a time. Safe to run in several processes at once. */
export async function dispatchDueEmails(options: DispatchOptions): Promise<DispatchResult> {
  const { now = new Date(), batchSize = DEFAULT_BATCH_SIZE } = options;
  const result: DispatchResult = { sent: 0, failed: 0, retried: 0 };
  for (let count = 0; count < batchSize; count++) {
    const email = await claimNextDue(now);
    if (!email) break;
    result[await deliver(email, options.transport, options.from, now)]++;
  }
  return result;
}

/**
 * Takes the oldest due row and, in the same statement, counts the attempt and pushes nextAttemptAt past
 * the lease. SKIP LOCKED lets concurrent dispatchers pass over a row another one is claiming, and once
 * claimed the row is no longer due, so no two dispatchers ever send it. No transaction stays open while
 * SMTP is talking.
 */
async function claimNextDue(now: Date): Promise<ClaimedEmail | undefined> {
  const leaseUntil = new Date(now.getTime() + CLAIM_LEASE_MS);
  const rows = await db().$queryRaw<ClaimedEmail[]>`
    UPDATE "EmailOutbox"
    SET "attempts" = "attempts" + 1, "nextAttemptAt" = ${leaseUntil}
    WHERE "id" = (
      SELECT "id" FROM "EmailOutbox"
      WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now}
      ORDER BY "nextAttemptAt"
      LIMIT 1
      FOR UPDATE SKIP LOCKED
    )
    RETURNING "id", "recipient", "template", "data", "attempts"`;
  return rows[0];
}

async function deliver(
  email: ClaimedEmail,
  transport: DispatchOptions['transport'],
  from: string,
  now: Date,
): Promise<keyof DispatchResult> {
  try {
    const { subject, text, html } = renderStoredEmail(email.template, email.data);
    await transport.sendMail({ from, to: email.recipient, subject, text, html });
  } catch (error) {
    // Only the message: nodemailer errors also carry the SMTP command and response.
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_LENGTH);
    const giveUp = email.attempts >= MAX_ATTEMPTS;
    await db().emailOutbox.update({
      where: { id: email.id },
      data: giveUp
        ? { status: 'failed', lastError }
        : { lastError, nextAttemptAt: new Date(now.getTime() + retryDelayMs(email.attempts)) },
    });
    return giveUp ? 'failed' : 'retried';
  }
  // lastError stays: it tells why a sent email needed more than one attempt.
  await db().emailOutbox.update({ where: { id: email.id }, data: { status: 'sent', sentAt: now } });
  return 'sent';
}

export interface OutboxDispatcher {
  /** Run a pass soon, e.g. after a webhook queued emails, instead of waiting for the interval. */
  kick(): void;
  /** Stops polling; resolves once a pass in progress has finished. */
  stop(): Promise<void>;
}

/** Polls the outbox every `intervalMs`. Passes never overlap, and a failing pass is logged, not thrown. */
export function startOutboxDispatcher(options: {
  transport: DispatchOptions['transport'];
  from: string;
  intervalMs: number;
  batchSize?: number;
}): OutboxDispatcher {
  const { transport, from, intervalMs, batchSize = DEFAULT_BATCH_SIZE } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let runAgainSoon = false;
  let stopped = false;

  // Only called while no pass runs: kick() during a pass sets runAgainSoon instead.
  function schedule(delayMs: number): void {
    clearTimeout(timer);
    timer = setTimeout(runPass, delayMs);
    timer.unref(); // the dispatcher alone must not keep the process alive
  }

  function runPass(): void {
    running = (async () => {
      try {
        const result = await dispatchDueEmails({ transport, from, batchSize });
        if (result.retried || result.failed) {
          console.warn(`[email] outbox: ${result.sent} sent, ${result.retried} to retry, ${result.failed} given up`);
        }
        // A full batch means more may be due: carry on without waiting for the interval.
        if (result.sent + result.retried + result.failed >= batchSize) runAgainSoon = true;
      } catch (error) {
        console.error('[email] outbox pass failed:', error);
      } finally {
        running = undefined;
        if (!stopped) schedule(runAgainSoon ? 0 : intervalMs);
        runAgainSoon = false;
      }
    })();
  }

  schedule(0);
  return {
    kick() {
      if (stopped) return;
      if (running) runAgainSoon = true;
      else schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
