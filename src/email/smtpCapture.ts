import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A message as the local SMTP capture received it. */
export interface CapturedEmail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  date: Date;
}

export interface SmtpCapture {
  port: number;
  /** Oldest first. */
  messages(): CapturedEmail[];
  clear(): void;
  stop(): Promise<void>;
}

// A long-running dev server keeps only the newest messages.
const MAX_MESSAGES = 500;

/**
 * An in-process SMTP server on 127.0.0.1 that accepts every message (no auth, no TLS) and keeps it in
 * memory: the default when no SMTP server is configured, and the inbox tests read.
 * Send to it with `createMailTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true })`.
 * `hold` is awaited between receiving a message and acknowledging it (250).
 */
export async function startSmtpCapture(options: { port?: number; hold?: (email: CapturedEmail) => Promise<void> } = {}): Promise<SmtpCapture> {
  let captured: CapturedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const email = {
            to: addresses(mail.to),
            from: mail.from?.text ?? '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: mail.html || '',
            date: mail.date ?? new Date(),
          };
          captured.push(email);
          if (captured.length > MAX_MESSAGES) captured = captured.slice(-MAX_MESSAGES);
          // Received, not yet acknowledged: the reliability tests kill the sender in this gap.
          await options.hold?.(email);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // smtp-server re-emits client socket errors; unhandled, one dropped connection would crash the process.
  server.on('error', (error) => console.warn(`[smtp-capture] ${error.message}`));

  return {
    port: (server.server.address() as AddressInfo).port,
    messages: () => [...captured],
    clear: () => {
      captured = [];
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const groups = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return groups.flatMap((group) => group.value.flatMap((address) => (address.address ? [address.address] : [])));
}
