import type { WorkspaceRole } from '../db/generated/enums.js';
import { db } from '../db/client.js';
import { billedWorkspace, BILLING_RECORDS } from '../payment/workspaceBilling.js';
import { HttpError } from '../server/HttpError.js';
import type { AuthUser, OperationContext } from '../server/operationContext.js';

export function requireUser(context: OperationContext): AuthUser {
  if (!context.user) throw new HttpError(401, 'You must be logged in');
  return context.user;
}

/**
 * The caller's membership in a workspace, if their role is allowed. A workspace the caller does not
 * belong to answers 404 (its existence is not revealed); a member with too small a role gets 403.
 */
export async function requireWorkspaceRole(context: OperationContext, workspaceId: string, allowed: readonly WorkspaceRole[]) {
  const user = requireUser(context);
  const membership = await db().membership.findUnique({
    where: { workspaceId_userId: { workspaceId, userId: user.id } },
    include: { workspace: { include: BILLING_RECORDS } },
    // one statement instead of a Membership query and then a Workspace query: every operation pays it
    relationLoadStrategy: 'join',
  });
  if (!membership) throw new HttpError(404, `Workspace ${workspaceId} not found`);
  if (!allowed.includes(membership.role)) {
    throw new HttpError(403, `This needs the ${allowed.join(' or ')} role in the workspace; you are ${membership.role}`);
  }
  return { user, role: membership.role, workspace: billedWorkspace(membership.workspace) };
}

/** Site admins only (ADMIN_EMAILS): 401 when not logged in, 403 for everyone else. `what` completes "Only site admins can ...". */
export function requireSiteAdmin(context: OperationContext, what: string): AuthUser {
  const user = requireUser(context);
  if (!user.isAdmin) throw new HttpError(403, `Only site admins can ${what}`);
  return user;
}
