import { z } from 'zod';
import { db } from '../db/client.js';
import type { Prisma } from '../db/generated/client.js';
import { HttpError } from '../server/HttpError.js';
import type { Operation } from '../server/operationContext.js';
import { storableDate } from '../server/storableInput.js';
import { validateArgs } from '../server/validateArgs.js';
import { requireUser, requireWorkspaceRole } from '../workspaces/access.js';
import { decodeCursor, encodeCursor } from './auditCursor.js';
import { actionFamily } from './recordAudit.js';

const argsSchema = z
  .object({
    workspaceId: z.string().min(1).optional(),
    /** Exact action, or a family with a trailing `.*` (`payment.*`). */
    action: z.string().min(1).max(100).optional(),
    actorId: z.string().min(1).optional(),
    from: storableDate.optional(),
    to: storableDate.optional(),
    cursor: z.string().min(1).optional(),
    limit: z.number().int().min(1).max(100).default(50),
  })
  .refine((a) => !a.from || !a.to || a.from <= a.to, { error: '"from" must not be after "to"', path: ['from'] });

export interface AuditEventView {
  id: string;
  workspaceId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  target: string | null;
  metadata: Prisma.JsonValue;
  createdAt: Date;
}

// Prisma sends startsWith to PostgreSQL as LIKE without escaping its wildcards (prisma/prisma#19506).
function escapeLike(prefix: string): string {
  return prefix.replace(/[\\%_]/g, '\\$&');
}

/**
 * An exact action, or a family (`payment.*`): the family column is an indexed equality, and only a
 * deeper prefix (`payment.refund.*`) also needs the LIKE.
 */
export function actionFilter(action: string | undefined): Prisma.AuditEventWhereInput {
  if (!action?.endsWith('.*')) return { action };
  const prefix = action.slice(0, -1);
  const family = actionFamily(prefix);
  return { actionFamily: family, ...(prefix !== family && { action: { startsWith: escapeLike(prefix) } }) };
}

/** Site admins read every workspace's events; a workspace's owners and admins read their own. */
export const getAuditEvents: Operation<unknown, { events: AuditEventView[]; nextCursor: string | null }> = async (rawArgs, context) => {
  const args = validateArgs(argsSchema, rawArgs);
  const user = requireUser(context);
  if (!user.isAdmin) {
    if (!args.workspaceId) throw new HttpError(403, 'Only site admins can read audit events across workspaces: pass a workspaceId');
    await requireWorkspaceRole(context, args.workspaceId, ['owner', 'admin']);
  }

  const cursor = args.cursor ? decodeCursor(args.cursor) : undefined;
  const where: Prisma.AuditEventWhereInput = {
    workspaceId: args.workspaceId,
    actorId: args.actorId,
    ...actionFilter(args.action),
    createdAt: { gte: args.from, lte: args.to },
    // The plain `createdAt <= cursor` bound lets the index seek to the page instead of filtering from the top.
    ...(cursor && {
      AND: [{ createdAt: { lte: cursor.createdAt } }, { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }],
    }),
  };
  const rows = await db().auditEvent.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: args.limit + 1,
  });
  const events = rows.slice(0, args.limit);
  const last = events.at(-1);
  return { events, nextCursor: rows.length > args.limit && last ? encodeCursor(last) : null };
};
