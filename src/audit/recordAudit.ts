import type { Tx } from '../db/client.js';

export type AuditActor = { type: 'user'; userId: string } | { type: 'processor'; processorId: string } | { type: 'system' };

export interface AuditEntry {
  workspaceId: string | null;
  actor: AuditActor;
  action: string;
  target?: string | null;
  metadata?: Record<string, unknown>;
}

/** The text up to and including the first dot ("" without one): what `payment.*` filters on, an indexed equality. */
export function actionFamily(action: string): string {
  return action.slice(0, action.indexOf('.') + 1);
}

/** Written inside the caller's transaction, so an audit event exists exactly when its change does. */
export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  const { actor } = entry;
  await tx.auditEvent.create({
    data: {
      workspaceId: entry.workspaceId,
      actorType: actor.type,
      actorId: actor.type === 'user' ? actor.userId : actor.type === 'processor' ? actor.processorId : null,
      action: entry.action,
      actionFamily: actionFamily(entry.action),
      target: entry.target ?? null,
      metadata: JSON.parse(JSON.stringify(entry.metadata ?? {})),
    },
  });
}
