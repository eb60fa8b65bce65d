import { db, type Tx } from '../db/client.js';
import type { WorkspaceRole } from '../db/generated/enums.js';

/** A workspace as its member sees it in lists. */
export interface WorkspaceSummary {
  id: string;
  name: string;
  role: WorkspaceRole;
}

/** Creates a workspace with `ownerId` as its owner; the caller's transaction also writes the audit event. */
export async function createOwnedWorkspace(tx: Tx, ownerId: string, name: string): Promise<WorkspaceSummary> {
  const workspace = await tx.workspace.create({
    data: { name, memberships: { create: { userId: ownerId, role: 'owner' } } },
  });
  return { id: workspace.id, name: workspace.name, role: 'owner' };
}

/** The user's workspaces, oldest membership first (the personal workspace leads). */
export async function listWorkspacesOf(userId: string): Promise<WorkspaceSummary[]> {
  const memberships = await db().membership.findMany({
    where: { userId },
    include: { workspace: { select: { name: true } } },
    orderBy: [{ createdAt: 'asc' }, { workspaceId: 'asc' }],
  });
  return memberships.map((m) => ({ id: m.workspaceId, name: m.workspace.name, role: m.role }));
}
