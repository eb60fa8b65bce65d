import type { Tx } from '../../db/client.js';
import type { Workspace } from '../../db/generated/client.js';
import type { WorkspaceRef } from '../events.js';

export class UnknownWorkspaceError extends Error {
  override name = 'UnknownWorkspaceError';
}

/**
 * Finds and row-locks the event's workspace: by the workspace id the processor carried back, else by
 * this processor's customer id (when exactly one workspace has it), never by email. The lock serialises
 * every delivery for one workspace, so the stale-event guard compares against the state that is really
 * current. Each lookup locks and reads the row in one statement.
 */
export async function resolveWorkspace(tx: Tx, processorId: string, ref: WorkspaceRef): Promise<Workspace> {
  const byId = ref.workspaceId
    ? await tx.$queryRaw<Workspace[]>`SELECT * FROM "Workspace" WHERE id = ${ref.workspaceId} FOR UPDATE`
    : [];
  if (byId[0]) return byId[0];
  const byCustomer = ref.customerId
    ? await tx.$queryRaw<Workspace[]>`SELECT * FROM "Workspace" WHERE "paymentProcessor" = ${processorId} AND "processorCustomerId" = ${ref.customerId} LIMIT 2 FOR UPDATE`
    : [];
  if (byCustomer.length > 1) {
    throw new Error(`${processorId} customer ${ref.customerId} belongs to several workspaces and the event names none of them`);
  }
  if (byCustomer[0]) return byCustomer[0];
  throw new UnknownWorkspaceError(
    `No workspace for this event (workspace id ${ref.workspaceId ?? 'absent'}, ${processorId} customer ${ref.customerId ?? 'absent'})`,
  );
}
