import { z } from 'zod';
import { recordAudit } from '../../audit/recordAudit.js';
import { db } from '../../db/client.js';
import { HttpError } from '../../server/HttpError.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  amount: z.number().int().positive().max(1_000_000),
  reason: z.string().trim().min(1).max(200),
});

/** Any member spends the workspace's credits. One conditional UPDATE: concurrent spends never go below zero. */
export const spendCredits: Operation<unknown, { credits: number }> = async (rawArgs, context) => {
  const { workspaceId, amount, reason } = validateArgs(argsSchema, rawArgs);
  const { user } = await requireWorkspaceRole(context, workspaceId, ['owner', 'admin', 'member']);
  return db().$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ credits: number }[]>`
      UPDATE "Workspace" SET credits = credits - ${amount} WHERE id = ${workspaceId} AND credits >= ${amount} RETURNING credits`;
    const balance = rows[0]?.credits;
    if (balance === undefined) {
      const { credits } = await tx.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { credits: true } });
      throw new HttpError(409, `Not enough credits: spending ${amount} needs ${amount - credits} more than the workspace's ${credits}`, { credits });
    }
    await tx.creditLedger.create({ data: { workspaceId, amount: -amount, reason: `spend:${reason}`, actorUserId: user.id } });
    await recordAudit(tx, {
      workspaceId,
      actor: { type: 'user', userId: user.id },
      action: 'credits.spent',
      metadata: { amount, reason, balance },
    });
    return { credits: balance };
  });
};
