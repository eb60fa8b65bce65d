import { getAuditEvents } from '../audit/getAuditEvents.js';
import { generateCheckoutSession } from '../payment/operations/generateCheckoutSession.js';
import { getCustomerPortalUrl } from '../payment/operations/getCustomerPortalUrl.js';
import { getWorkspaceBilling } from '../payment/operations/getWorkspaceBilling.js';
import { spendCredits } from '../payment/operations/spendCredits.js';
import { addWorkspaceMember, createWorkspace, getMyWorkspaces, getWorkspaceMembers } from '../workspaces/operations.js';
import type { Operation } from './operationContext.js';

/** Every operation the server exposes at POST /operations/<name>; main.wasp declares the same ones. */
export const operations: Record<string, Operation<never, unknown>> = {
  generateCheckoutSession,
  getCustomerPortalUrl,
  getWorkspaceBilling,
  spendCredits,
  getAuditEvents,
  getMyWorkspaces,
  createWorkspace,
  addWorkspaceMember,
  getWorkspaceMembers,
};
