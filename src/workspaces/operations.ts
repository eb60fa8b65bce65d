import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import { emailSchema } from '../auth/emailSchema.js';
import { db } from '../db/client.js';
import { WorkspaceRole } from '../db/generated/enums.js';
import { HttpError } from '../server/HttpError.js';
import type { Operation } from '../server/operationContext.js';
import { validateArgs } from '../server/validateArgs.js';
import { requireUser, requireWorkspaceRole } from './access.js';
import { isUniqueViolation } from './isUniqueViolation.js';
import { createOwnedWorkspace, listWorkspacesOf, type WorkspaceSummary } from './workspaceStore.js';

export interface WorkspaceMember {
  userId: string;
  email: string;
  role: WorkspaceRole;
}

export const workspaceName = z.string().trim().min(1, 'is required').max(100);
const workspaceId = z.string().min(1, 'is required');

const createWorkspaceArgs = z.object({ name: workspaceName });
const addWorkspaceMemberArgs = z.object({ workspaceId, email: emailSchema, role: z.enum(WorkspaceRole) });
const getWorkspaceMembersArgs = z.object({ workspaceId });

// Each operation validates its arguments first (400), then checks who is asking (401/404/403).

/** The caller's workspaces with their role in each. Takes no arguments. */
export const getMyWorkspaces: Operation<unknown, WorkspaceSummary[]> = async (_args, context) => {
  return listWorkspacesOf(requireUser(context).id);
};

/** Creates a workspace owned by the caller. */
export const createWorkspace: Operation<z.input<typeof createWorkspaceArgs>, WorkspaceSummary> = async (args, context) => {
  const { name } = validateArgs(createWorkspaceArgs, args);
  const user = requireUser(context);
  return db().$transaction(async (tx) => {
    const workspace = await createOwnedWorkspace(tx, user.id, name);
    await recordAudit(tx, { workspaceId: workspace.id, actor: { type: 'user', userId: user.id }, action: 'workspace.created', target: workspace.id, metadata: { name } });
    return workspace;
  });
};

/** Owners add an existing account to their workspace with a role. */
export const addWorkspaceMember: Operation<z.input<typeof addWorkspaceMemberArgs>, WorkspaceMember> = async (args, context) => {
  const { workspaceId, email, role } = validateArgs(addWorkspaceMemberArgs, args);
  const { user: actor } = await requireWorkspaceRole(context, workspaceId, ['owner']);
  const member = await db().user.findUnique({ where: { email }, select: { id: true } });
  if (!member) throw new HttpError(404, `No user with email ${email}; they need to sign up first`);
  await db()
    .$transaction(async (tx) => {
      await tx.membership.create({ data: { workspaceId, userId: member.id, role } });
      await recordAudit(tx, { workspaceId, actor: { type: 'user', userId: actor.id }, action: 'member.added', target: member.id, metadata: { email, role } });
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new HttpError(409, `${email} is already a member of this workspace`);
      throw error;
    });
  return { userId: member.id, email, role };
};

/** Any member may list the workspace's members. */
export const getWorkspaceMembers: Operation<z.input<typeof getWorkspaceMembersArgs>, WorkspaceMember[]> = async (args, context) => {
  const { workspaceId } = validateArgs(getWorkspaceMembersArgs, args);
  await requireWorkspaceRole(context, workspaceId, ['owner', 'admin', 'member']);
  const memberships = await db().membership.findMany({
    where: { workspaceId },
    include: { user: { select: { email: true } } },
    orderBy: [{ createdAt: 'asc' }, { userId: 'asc' }],
  });
  return memberships.map((m) => ({ userId: m.userId, email: m.user.email, role: m.role }));
};
