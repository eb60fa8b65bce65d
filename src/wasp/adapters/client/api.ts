// The Wasp implementation of the pages' backend (src/client/backend/types.ts): Wasp's own operations and
// auth, so the pages need none of the standalone server's routes. A Wasp build resolves `@billing/backend`
// here (src/client/backend/alias.ts). `satisfies BillingApi` is the check `npm run wasp:compile` runs: an
// operation the pages call that main.wasp.ts does not declare is a missing export of wasp/client/operations,
// and a result that differs from what the pages expect is a type error.
import { getMe, logout } from 'wasp/client/auth';
import {
  addWorkspaceMember,
  cancelSubscription,
  changePlan,
  createWorkspace,
  generateCheckoutSession,
  getAuditEvents,
  getCustomerPortalUrl,
  getMyWorkspaces,
  getPaymentHistory,
  getWorkspaceBilling,
  getWorkspaceMembers,
  listFailedDeliveries,
  replayDelivery,
  replayFailedDeliveries,
  resumeSubscription,
} from 'wasp/client/operations';
import { ApiError } from '../../../client/backend/ApiError.js';
import type { BillingApi, SessionInfo } from '../../../client/backend/types.js';
import { asPagesSee, failAsApiError } from './call.js';

const call =
  <Args, Result>(operation: (args: Args) => Promise<Result>) =>
  (args: Args) =>
    failAsApiError(async () => asPagesSee(await operation(args)));

async function me(): Promise<SessionInfo> {
  const user = await failAsApiError(() => getMe());
  if (!user) throw new ApiError(401, 'Log in to continue.');
  // An account without an email (a social login that gave none) has no billing: the server says why.
  const workspaces = await call(getMyWorkspaces)(undefined);
  return { user: { id: user.id, email: user.email ?? '', isAdmin: user.isAdmin }, workspaces };
}

export const api = {
  me,
  logout: () => failAsApiError(() => logout()),

  createWorkspace: call(createWorkspace),
  getWorkspaceMembers: call(getWorkspaceMembers),
  addWorkspaceMember: call(addWorkspaceMember),

  getWorkspaceBilling: call(getWorkspaceBilling),
  getPaymentHistory: call(getPaymentHistory),
  generateCheckoutSession: call(generateCheckoutSession),
  getCustomerPortalUrl: call(getCustomerPortalUrl),
  changePlan: call(changePlan),
  cancelSubscription: call(cancelSubscription),
  resumeSubscription: call(resumeSubscription),

  getAuditEvents: call(getAuditEvents),

  listFailedDeliveries: call(listFailedDeliveries),
  replayDelivery: call(replayDelivery),
  replayFailedDeliveries: call(replayFailedDeliveries),
  // Under Wasp, mail leaves through its emailSender: there is no local capture to read (the page says so).
  getCapturedEmails: () => Promise.reject(new ApiError(404, 'There is no local email capture under Wasp.')),
} satisfies BillingApi;
