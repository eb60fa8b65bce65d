import type { Tx } from '../db/client.js';
import type { EmailTemplateName, EmailTemplates } from './templates.js';

// Emails are rows written in the caller's transaction, never sent inline: a webhook does not fail
// because SMTP is down, and a rolled-back or deduplicated delivery leaves no email behind.
// The dispatcher (dispatcher.ts) sends them later.

export interface OutboxEmail<Name extends EmailTemplateName> {
  recipient: string;
  template: Name;
  data: EmailTemplates[Name];
}

export async function enqueueEmail<Name extends EmailTemplateName>(tx: Tx, email: OutboxEmail<Name>): Promise<void> {
  await tx.emailOutbox.create({ data: { recipient: email.recipient, template: email.template, data: email.data } });
}

/** One email per owner of the workspace; returns how many were queued. */
export async function enqueueForWorkspaceOwners<Name extends EmailTemplateName>(
  tx: Tx,
  workspaceId: string,
  template: Name,
  data: EmailTemplates[Name],
): Promise<number> {
  // One statement (the webhook path's hot spot): Prisma would read memberships, then users, then insert.
  return tx.$executeRaw`
    INSERT INTO "EmailOutbox" (id, recipient, template, data)
    SELECT gen_random_uuid()::text, u.email, ${template}, ${JSON.stringify(data)}::jsonb
    FROM "Membership" m JOIN "User" u ON u.id = m."userId"
    WHERE m."workspaceId" = ${workspaceId} AND m.role = 'owner'`;
}
