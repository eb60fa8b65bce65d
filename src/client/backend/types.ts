// What the pages know of the server: the data they get and the small interface they reach it through.
// Result types come from the operations themselves (type-only imports, erased from the bundle), as the
// pages receive them: JSON, so dates are ISO strings.
import type { getAuditEvents } from '../../audit/getAuditEvents.js';
import type { WorkspaceRole } from '../../db/generated/enums.js';
import type { CapturedEmail } from '../../email/smtpCapture.js';
import type { cancelSubscription } from '../../payment/operations/cancelSubscription.js';
import type { changePlan } from '../../payment/operations/changePlan.js';
import type { listFailedDeliveries, replayDelivery, replayFailedDeliveries } from '../../payment/operations/deliveryReplay.js';
import type { generateCheckoutSession } from '../../payment/operations/generateCheckoutSession.js';
import type { getCustomerPortalUrl } from '../../payment/operations/getCustomerPortalUrl.js';
import type { getPaymentHistory } from '../../payment/operations/getPaymentHistory.js';
import type { getWorkspaceBilling } from '../../payment/operations/getWorkspaceBilling.js';
import type { resumeSubscription } from '../../payment/operations/resumeSubscription.js';
import type { AuthUser, Operation } from '../../server/operationContext.js';
import type { WorkspaceMember } from '../../workspaces/operations.js';
import type { WorkspaceSummary } from '../../workspaces/workspaceStore.js';

/** A value as JSON.parse gives it back: dates become ISO strings. */
export type Json<T> = T extends Date ? string : T extends readonly (infer E)[] ? Json<E>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
export type ResultOf<O> = O extends Operation<never, infer R> ? Json<R> : never;

export type Role = WorkspaceRole;
export type Workspace = WorkspaceSummary;
export type User = AuthUser;
export type Billing = ResultOf<typeof getWorkspaceBilling>;
export type Payment = ResultOf<typeof getPaymentHistory>['payments'][number];
export type AuditEvent = ResultOf<typeof getAuditEvents>['events'][number];
export type Delivery = ResultOf<typeof listFailedDeliveries>['deliveries'][number];
export type ReplayOutcome = ResultOf<typeof replayDelivery>['outcome'];
export type ReplaySummary = ResultOf<typeof replayFailedDeliveries>;
export type Email = Json<CapturedEmail>;
export type Member = WorkspaceMember;
export interface SessionInfo {
  user: User;
  workspaces: Workspace[];
}

export interface AuditQuery {
  workspaceId?: string;
  action?: string;
  actorId?: string;
  from?: string;
  to?: string;
  cursor?: string;
  limit?: number;
}

type Call<Args, Result> = (args: Args) => Promise<Result>;
type WorkspaceArgs = { workspaceId: string };

/**
 * Everything the pages ask the server, but logging in and signing up (`Accounts`). Two implementations:
 * src/client/api.ts (the standalone server's HTTP API) and src/wasp/adapters/client/api.ts (Wasp's
 * operations and auth); the build picks one (src/client/backend/alias.ts). Both throw ApiError.
 */
export interface BillingApi {
  /** The signed-in user and their workspaces; an ApiError 401 when nobody is signed in. */
  me: () => Promise<SessionInfo>;
  logout: () => Promise<unknown>;

  createWorkspace: Call<{ name: string }, Workspace>;
  getWorkspaceMembers: Call<WorkspaceArgs, Member[]>;
  addWorkspaceMember: Call<WorkspaceArgs & { email: string; role: Role }, Member>;

  getWorkspaceBilling: Call<WorkspaceArgs, Billing>;
  getPaymentHistory: Call<WorkspaceArgs & { cursor?: string; limit?: number }, ResultOf<typeof getPaymentHistory>>;
  generateCheckoutSession: Call<WorkspaceArgs & { planId: string }, ResultOf<typeof generateCheckoutSession>>;
  getCustomerPortalUrl: Call<WorkspaceArgs, ResultOf<typeof getCustomerPortalUrl>>;
  changePlan: Call<WorkspaceArgs & { planId: string }, ResultOf<typeof changePlan>>;
  cancelSubscription: Call<WorkspaceArgs & { atPeriodEnd?: boolean }, ResultOf<typeof cancelSubscription>>;
  resumeSubscription: Call<WorkspaceArgs, ResultOf<typeof resumeSubscription>>;

  getAuditEvents: Call<AuditQuery, ResultOf<typeof getAuditEvents>>;
  /** The local SMTP capture's inbox; an ApiError 404 means there is none (a real SMTP server, or Wasp). */
  getCapturedEmails: () => Promise<Email[]>;

  /** Site admins only: the signed deliveries the engine could not apply, and their replay. */
  listFailedDeliveries: Call<{ cursor?: string; limit?: number; statuses?: Delivery['status'][] }, ResultOf<typeof listFailedDeliveries>>;
  replayDelivery: Call<{ deliveryId: string }, ResultOf<typeof replayDelivery>>;
  replayFailedDeliveries: Call<Record<string, never>, ReplaySummary>;
}

/**
 * The log-in and sign-up pages' calls, apart from BillingApi: they depend on the app's auth method, and
 * a Wasp app with its own auth pages (open-saas) leaves them out.
 */
export interface Accounts {
  login: Call<{ email: string; password: string }, SessionInfo>;
  signup: Call<{ email: string; password: string; workspaceName?: string }, SessionInfo>;
}
