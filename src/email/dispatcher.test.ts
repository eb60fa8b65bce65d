import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPrismaClient, db, useDb, type Db } from '../db/client.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { dispatchDueEmails, MAX_ATTEMPTS, retryDelayMs, startOutboxDispatcher } from './dispatcher.js';
import { enqueueEmail } from './outbox.js';
import { startSmtpCapture, type SmtpCapture } from './smtpCapture.js';
import { renderEmail } from './templates.js';
import { createMailTransport, type MailTransport } from './transport.js';

const from = 'Billing <billing@example.test>';
const ended = { workspaceName: 'Acme', planName: 'Pro' };
const expectedSubject = renderEmail('subscription_ended', ended).subject;

let prisma: Db;
let capture: SmtpCapture;
let smtpUp: MailTransport;
let smtpDown: MailTransport;

beforeAll(async () => {
  ({ prisma } = await createTestDatabase());
  capture = await startSmtpCapture();
  smtpUp = createMailTransport({ host: '127.0.0.1', port: capture.port, secure: false, ignoreTLS: true });
  smtpDown = createMailTransport({ host: '127.0.0.1', port: await closedPort(), secure: false, ignoreTLS: true });
});

afterAll(async () => {
  await capture?.stop();
});

beforeEach(async () => {
  await db().emailOutbox.deleteMany();
  capture.clear();
});

async function queue(recipient: string): Promise<string> {
  await enqueueEmail(db(), { recipient, template: 'subscription_ended', data: ended });
  const row = await db().emailOutbox.findFirstOrThrow({ where: { recipient } });
  return row.id;
}

const row = (id: string) => db().emailOutbox.findUniqueOrThrow({ where: { id } });
const later = (date: Date, ms: number) => new Date(date.getTime() + ms);

describe('retryDelayMs', () => {
  it('doubles from 30 s and stops at an hour', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(retryDelayMs(7)).toBe(30_000 * 64);
    expect(retryDelayMs(8)).toBe(3_600_000);
    expect(retryDelayMs(50)).toBe(3_600_000);
  });
});

describe('dispatchDueEmails', () => {
  it('keeps an email pending while SMTP is down, then sends it exactly once when it is back', async () => {
    const id = await queue('owner@acme.test');
    const start = new Date();

    expect(await dispatchDueEmails({ transport: smtpDown, from, now: start })).toEqual({ sent: 0, failed: 0, retried: 1 });
    const afterFailure = await row(id);
    expect(afterFailure).toMatchObject({ status: 'pending', attempts: 1, sentAt: null });
    expect(afterFailure.lastError).toMatch(/ECONNREFUSED/);
    expect(afterFailure.nextAttemptAt).toEqual(later(start, retryDelayMs(1)));

    // SMTP is back, but the retry is not due yet.
    const justBefore = later(afterFailure.nextAttemptAt, -1);
    expect(await dispatchDueEmails({ transport: smtpUp, from, now: justBefore })).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(capture.messages()).toEqual([]);

    const due = afterFailure.nextAttemptAt;
    expect(await dispatchDueEmails({ transport: smtpUp, from, now: due })).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2, sentAt: due });

    const muchLater = later(due, 24 * 3_600_000);
    expect(await dispatchDueEmails({ transport: smtpUp, from, now: muchLater })).toEqual({ sent: 0, failed: 0, retried: 0 });
    const messages = capture.messages();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ to: ['owner@acme.test'], from: '"Billing" <billing@example.test>', subject: expectedSubject });
    expect(messages[0]?.text).toContain('The Pro subscription of Acme has ended');
    expect(messages[0]?.html).toContain('<p>The Pro subscription of Acme has ended');
  });

  it(`gives up after ${MAX_ATTEMPTS} attempts and marks the email failed`, async () => {
    const id = await queue('owner@acme.test');
    let now = new Date();
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
      expect(await dispatchDueEmails({ transport: smtpDown, from, now })).toEqual({ sent: 0, failed: 0, retried: 1 });
      const pending = await row(id);
      expect(pending).toMatchObject({ status: 'pending', attempts: attempt });
      expect(pending.nextAttemptAt).toEqual(later(now, retryDelayMs(attempt)));
      now = pending.nextAttemptAt;
    }
    expect(await dispatchDueEmails({ transport: smtpDown, from, now })).toEqual({ sent: 0, failed: 1, retried: 0 });
    expect(await row(id)).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, sentAt: null });

    // A failed email is never picked up again, even with SMTP up.
    expect(await dispatchDueEmails({ transport: smtpUp, from, now: later(now, 24 * 3_600_000) })).toEqual({ sent: 0, failed: 0, retried: 0 });
    expect(capture.messages()).toEqual([]);
  });

  it('retries a row whose template cannot be rendered, recording why', async () => {
    await db().emailOutbox.create({ data: { recipient: 'owner@acme.test', template: 'welcome', data: {} } });
    expect(await dispatchDueEmails({ transport: smtpUp, from })).toEqual({ sent: 0, failed: 0, retried: 1 });
    const stored = await db().emailOutbox.findFirstOrThrow();
    expect(stored.lastError).toContain('Unknown email template "welcome"');
    expect(capture.messages()).toEqual([]);
  });

  it('sends each email once when two dispatchers run at the same time', async () => {
    const recipients = Array.from({ length: 20 }, (_, i) => `owner${String(i).padStart(2, '0')}@acme.test`);
    for (const recipient of recipients) await queue(recipient);
    // Two dispatchers sharing the real SMTP capture.
    const results = await Promise.all([
      dispatchDueEmails({ transport: smtpUp, from, batchSize: 20 }),
      dispatchDueEmails({ transport: smtpUp, from, batchSize: 20 }),
    ]);
    expect(results[0].sent + results[1].sent).toBe(20);
    expect(capture.messages().flatMap((message) => message.to).sort()).toEqual(recipients);
    expect(await db().emailOutbox.count({ where: { status: 'sent' } })).toBe(20);
  });

  it('sends each email once when many dispatchers race for claims', async () => {
    const recipients = Array.from({ length: 100 }, (_, i) => `owner${String(i).padStart(3, '0')}@acme.test`);
    await db().emailOutbox.createMany({ data: recipients.map((recipient) => ({ recipient, template: 'subscription_ended', data: ended })) });
    // nodemailer's JSON transport sends without a network round trip, so claims follow each other closely
    // and overlap as much as possible.
    const sentTo: string[] = [];
    const fast = nodemailer.createTransport({ jsonTransport: true });
    const recording = {
      sendMail: async (mail: SendMailOptions) => {
        sentTo.push(String(mail.to));
        return fast.sendMail(mail);
      },
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => dispatchDueEmails({ transport: recording, from, batchSize: 100 })));
    expect(results.reduce((total, result) => total + result.sent, 0)).toBe(100);
    expect(sentTo.sort()).toEqual(recipients);
  });

  it('sends at most batchSize emails per pass', async () => {
    for (const recipient of ['a@acme.test', 'b@acme.test', 'c@acme.test']) await queue(recipient);
    expect(await dispatchDueEmails({ transport: smtpUp, from, batchSize: 2 })).toEqual({ sent: 2, failed: 0, retried: 0 });
    expect(await dispatchDueEmails({ transport: smtpUp, from, batchSize: 2 })).toEqual({ sent: 1, failed: 0, retried: 0 });
    expect(capture.messages()).toHaveLength(3);
  });
});

describe('startOutboxDispatcher', () => {
  it('sends queued emails and runs again when kicked', async () => {
    await queue('first@acme.test');
    const dispatcher = startOutboxDispatcher({ transport: smtpUp, from, intervalMs: 3_600_000 });
    try {
      await vi.waitFor(() => expect(capture.messages().map((m) => m.to[0])).toEqual(['first@acme.test']), { timeout: 10_000 });
      // The next poll is an hour away: only the kick can send this one within the test.
      await queue('second@acme.test');
      dispatcher.kick();
      await vi.waitFor(() => expect(capture.messages().map((m) => m.to[0])).toEqual(['first@acme.test', 'second@acme.test']), {
        timeout: 10_000,
      });
    } finally {
      await dispatcher.stop();
    }
  });

  it('logs a failing pass and carries on', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const unreachable = createPrismaClient(`postgresql://postgres@127.0.0.1:${await closedPort()}/nowhere`);
    await queue('owner@acme.test');
    useDb(unreachable);
    const dispatcher = startOutboxDispatcher({ transport: smtpUp, from, intervalMs: 3_600_000 });
    try {
      await vi.waitFor(() => expect(logged).toHaveBeenCalledWith('[email] outbox pass failed:', expect.anything()), { timeout: 10_000 });
      useDb(prisma);
      dispatcher.kick();
      await vi.waitFor(() => expect(capture.messages().map((m) => m.to[0])).toEqual(['owner@acme.test']), { timeout: 10_000 });
    } finally {
      useDb(prisma);
      await dispatcher.stop();
      await unreachable.$disconnect();
      logged.mockRestore();
    }
  });
});

/** A port nothing listens on: SMTP "down". */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
