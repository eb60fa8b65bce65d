import { afterAll, describe, expect, it } from 'vitest';
import { db } from '../db/client.js';
import { CLAIM_LEASE_MS, dispatchDueEmails } from '../email/dispatcher.js';
import { startSmtpCapture, type CapturedEmail, type SmtpCapture } from '../email/smtpCapture.js';
import { createMailTransport } from '../email/transport.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { createWorkspaces, deliver, pool, startServerProcesses, type ServerProcesses } from './harness.js';
import { generateHistory, historySeed, prng, shuffle, type FakeDelivery } from './histories.js';
import { verifyHistories } from './verifyHistories.js';

// The server process SIGKILLed in the middle of a stream of signed webhook deliveries and of an outbox
// send (the SMTP server has the message but has not acknowledged it), restarted on the same database.
// Each answer leaves the server 300 ms after its transaction committed, and the kill waits for such a
// moment, so some deliveries in flight at the kill were applied but never answered. The "processor"
// redelivers every delivery not answered 2xx, then some that were. KILL_HISTORIES (default 12), KILL_SEED
// reproduces a run.

const HISTORIES = Number(process.env.KILL_HISTORIES ?? 12);
const SEED = Number(process.env.KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 8;
const LATE_REDELIVERY = 0.25;

let servers: ServerProcesses | undefined;
let capture: SmtpCapture | undefined;
afterAll(async () => {
  await servers?.stop();
  await capture?.stop();
});

describe(`SIGKILL mid-stream, restart, redelivery (KILL_SEED=${SEED})`, () => {
  it('loses and doubles no effect; one outbox email per owner per event; at SMTP only the interrupted send twice', { timeout: 600_000 }, async () => {
    const started = Date.now();
    const { url } = await createTestDatabase();
    const workspaces = await createWorkspaces(HISTORIES, (i) => 1 + (historySeed(SEED, i) % 2));
    const histories = workspaces.map((w, i) => generateHistory(i, historySeed(SEED, i), w.workspaceId));
    const rng = prng(SEED);
    const f = { events: 0, attempts: 0, inFlightAtKill: 0, committedBeforeKill: 0, refusedWhileDown: 0, firstSendsAfterRestart: 0, lateRedeliveries: 0, pendingAtKill: 0 };

    // The kill, halfway through the stream, while SMTP holds the first process's first email (received, not
    // acknowledged): deliveries are in flight, one send is interrupted, the emails queued behind it pending...
    const totalEvents = histories.reduce((n, h) => n + h.events.length, 0);
    let firstSends = 0;
    let killedAt = 0;
    let interrupted: CapturedEmail | undefined;
    let emailHeld!: () => void;
    const held = new Promise<void>((resolve) => (emailHeld = resolve));
    let restarted!: () => void;
    const back = new Promise<void>((resolve) => (restarted = resolve));
    const env = (port: number) => ({ SMTP_PORT: String(port), ANSWER_DELAY_MS: '300' });
    const smtpRecipients: string[] = []; // every message (the capture itself keeps only the newest 500)
    capture = await startSmtpCapture({
      hold: async (email) => {
        smtpRecipients.push(...email.to);
        if (interrupted) return;
        interrupted = email;
        emailHeld();
        await back; // the acknowledgement never reaches the killed sender
      },
    });
    servers = await startServerProcesses(url, 1, env(capture.port));
    const inFlight = new Set<string>();
    const killAndRestart = async () => {
      await held;
      // ... at a moment when a delivery is committed but its answer is still held back (ANSWER_DELAY_MS).
      const committedUnanswered = () => db().webhookDelivery.count({ where: { eventId: { in: [...inFlight] }, status: 'processed' } });
      for (const until = Date.now() + 10_000; Date.now() < until && (await committedUnanswered()) === 0; ) await new Promise((r) => setTimeout(r, 5));
      killedAt = Date.now();
      await servers!.kill();
      f.pendingAtKill = await db().emailOutbox.count({ where: { status: 'pending' } });
      servers = await startServerProcesses(url, 1, env(capture!.port));
      restarted();
    };

    /** The processor's delivery: retried after the restart until answered 2xx. */
    async function send(d: FakeDelivery): Promise<void> {
      for (let attempt = 0; attempt < 3; attempt++) {
        const at = Date.now();
        f.attempts++;
        if (attempt === 0 && ++firstSends === Math.ceil(totalEvents / 2)) void killAndRestart();
        if (attempt === 0 && killedAt) f.firstSendsAfterRestart++;
        inFlight.add(d.id);
        const res = await deliver(servers!.urls[0]!, d).catch(() => null);
        inFlight.delete(d.id);
        if (res?.status === 200) {
          if (attempt > 0 && JSON.parse(res.body).duplicate) f.committedBeforeKill++;
          return;
        }
        if (attempt === 0) f[killedAt && at >= killedAt ? 'refusedWhileDown' : 'inFlightAtKill']++;
        await back;
      }
      throw new Error(`delivery ${d.id} was never answered 2xx`);
    }
    await pool(histories, CONCURRENCY, async (h) => {
      for (const e of h.events) {
        f.events++;
        await send(e.delivery);
      }
    });
    // Processors also resend some deliveries they had an answer for: a duplicate, no effect.
    const late = shuffle(rng, histories.flatMap((h) => h.events.map((e) => e.delivery)).filter(() => rng() < LATE_REDELIVERY));
    await pool(late, CONCURRENCY, async (d) => {
      f.lateRedeliveries++;
      const res = await deliver(servers!.urls[0]!, d);
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body).duplicate, `${d.id} applied again`).toBe(true);
    });

    expect(f.inFlightAtKill, 'deliveries were in flight at the kill').toBeGreaterThan(0);
    expect(f.committedBeforeKill, 'some were applied but not answered').toBeGreaterThan(0);
    expect(f.firstSendsAfterRestart, 'the stream went on after the restart').toBeGreaterThan(0);
    expect(f.pendingAtKill, 'emails were waiting in the outbox at the kill').toBeGreaterThan(0);
    expect(await verifyHistories(histories, workspaces, { supersededMayBeMissing: false })).toEqual([]);

    // The restarted server sends what is due; the interrupted row waits for its claim's lease to run out.
    const recipients = workspaces.flatMap((w) => [...w.owners, w.member]);
    const ours = { recipient: { in: recipients } };
    const pending = () => db().emailOutbox.count({ where: { ...ours, status: 'pending' } });
    for (let left = await pending(), progressAt = Date.now(); left > 1 && Date.now() - progressAt < 20_000; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = await pending();
      if (now < left) [left, progressAt] = [now, Date.now()];
    }
    const leased = await db().emailOutbox.findMany({ where: { ...ours, status: 'pending' } });
    expect(leased.map((row) => ({ to: row.recipient, attempts: row.attempts, lastError: row.lastError }))).toEqual([{ to: interrupted!.to[0], attempts: 1, lastError: null }]);
    const transport = createMailTransport({ host: '127.0.0.1', port: capture.port, secure: false, ignoreTLS: true });
    const afterLease = await dispatchDueEmails({ transport, from: 'billing@chaos.test', now: new Date(Date.now() + CLAIM_LEASE_MS + 60_000) });
    transport.close();
    expect(afterLease.sent).toBe(1);

    // Outbox: every row sent, exactly the canonical ones (verified above). SMTP: each row once, but the
    // interrupted one twice - at-least-once, since SMTP had it before the killed sender could mark it.
    const rows = await db().emailOutbox.findMany({ where: ours });
    expect(rows.filter((r) => r.status !== 'sent')).toEqual([]);
    expect(rows.find((r) => r.id === leased[0]!.id)?.attempts).toBe(2);
    for (const r of recipients) {
      const extra = r === interrupted!.to[0] ? 1 : 0;
      expect(smtpRecipients.filter((to) => to === r).length, r).toBe(rows.filter((row) => row.recipient === r).length + extra);
    }
    console.info(
      `[kill] seed ${SEED}: ${HISTORIES} histories, ${f.events} events, ${f.attempts} delivery attempts; SIGKILL with ${f.inFlightAtKill} deliveries in flight ` +
        `(${f.committedBeforeKill} committed before it: their redelivery was a duplicate), ${f.refusedWhileDown} refused while down, ` +
        `${f.firstSendsAfterRestart} first sends after the restart, ${f.lateRedeliveries} late redeliveries of answered ones; ` +
        `outbox ${rows.length} emails (${f.pendingAtKill} pending at the kill), SMTP ${smtpRecipients.length} messages (1 duplicate: the interrupted send); ` +
        `0 violations, ${Date.now() - started} ms`,
    );
  });
});
