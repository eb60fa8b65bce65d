import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

export interface SmtpSettings {
  host: string;
  port: number;
  user?: string;
  password?: string;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  /** Never upgrade to TLS: only for the local SMTP capture. */
  ignoreTLS?: boolean;
}

export type MailTransport = Transporter<SMTPTransport.SentMessageInfo, SMTPTransport.Options>;

export function createMailTransport(smtp: SmtpSettings): MailTransport {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ignoreTLS: smtp.ignoreTLS ?? false,
    auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
    // One kept connection: a dispatcher sends one email at a time, and a new connection (TCP, EHLO,
    // STARTTLS, AUTH) per email cost 15x the throughput (docs/PERFORMANCE.md). close() ends it.
    pool: true,
    maxConnections: 1,
    // nodemailer waits up to 2 minutes for a connection by default; a dispatcher pass should not.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    // No logger and no debug: with them nodemailer would print the SMTP dialogue, AUTH included.
    logger: false,
    debug: false,
  });
}
