import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../../audit/auditCursor.js';
import { db } from '../../db/client.js';
import type { PaymentStatus } from '../../db/generated/enums.js';
import type { Operation } from '../../server/operationContext.js';
import { validateArgs } from '../../server/validateArgs.js';
import { requireWorkspaceRole } from '../../workspaces/access.js';
import { isPlanId, plans } from '../plans.js';

const argsSchema = z.object({
  workspaceId: z.string().min(1),
  cursor: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export interface PaymentView {
  id: string;
  /** The processor's invoice / order / payment id the payment is recorded under. */
  moneyId: string;
  status: PaymentStatus;
  /** In the currency's minor unit, like amountRefunded (cumulative). */
  amount: number;
  amountRefunded: number;
  currency: string;
  planId: string | null;
  planName: string | null;
  /** From the plan's effect; 'other' when the payment names no plan we know (see README). */
  kind: 'subscription' | 'credits' | 'other';
  occurredAt: Date;
}

/** The workspace's payments (succeeded, failed, refunded), newest first, for its owners and admins. */
export const getPaymentHistory: Operation<unknown, { payments: PaymentView[]; nextCursor: string | null }> = async (rawArgs, context) => {
  const { workspaceId, cursor: rawCursor, limit } = validateArgs(argsSchema, rawArgs);
  await requireWorkspaceRole(context, workspaceId, ['owner', 'admin']);
  // Keyset paging by (occurredAt, id), the audit log's cursor format: stable while new payments arrive.
  const cursor = rawCursor ? decodeCursor(rawCursor) : undefined;
  const rows = await db().payment.findMany({
    where: {
      workspaceId,
      ...(cursor && { OR: [{ occurredAt: { lt: cursor.createdAt } }, { occurredAt: cursor.createdAt, id: { lt: cursor.id } }] }),
    },
    orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    payments: page.map((p) => {
      const plan = p.planId && isPlanId(p.planId) ? plans[p.planId] : null;
      return {
        id: p.id,
        moneyId: p.moneyId,
        status: p.status,
        amount: p.amount,
        amountRefunded: p.amountRefunded,
        currency: p.currency,
        planId: p.planId,
        planName: plan?.name ?? null,
        kind: plan ? plan.effect.kind : 'other',
        occurredAt: p.occurredAt,
      };
    }),
    nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.occurredAt, id: last.id }) : null,
  };
};
