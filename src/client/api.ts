// The one place the pages talk to the server. Result types come from the operations themselves
// (type-only imports, erased from the bundle), as they arrive over JSON.
import type { getAuditEvents } from '../audit/getAuditEvents.js';
import type { CapturedEmail } from '../email/smtpCapture.js';
import type { cancelSubscription } from '../payment/operations/cancelSubscription.js';
import type { changePlan } from '../payment/operations/changePlan.js';
import type { generateCheckoutSession } from '../payment/operations/generateCheckoutSession.js';
import type { getCustomerPortalUrl } from '../payment/operations/getCustomerPortalUrl.js';
import type { getPaymentHistory } from '../payment/operations/getPaymentHistory.js';
import type { getWorkspaceBilling } from '../payment/operations/getWorkspaceBilling.js';
import type { resumeSubscription } from '../payment/operations/resumeSubscription.js';
import type { AuthUser, Operation } from '../server/operationContext.js';
import type { WorkspaceRole } from '../db/generated/enums.js';
import type { WorkspaceMember } from '../workspaces/operations.js';
import type { WorkspaceSummary } from '../workspaces/workspaceStore.js';

/** A value as JSON.parse gives it back: dates become ISO strings. */
type Json<T> = T extends Date ? string : T extends readonly (infer E)[] ? Json<E>[] : T extends object ? { [K in keyof T]: Json<T[K]> } : T;
type ResultOf<O> = O extends Operation<never, infer R> ? Json<R> : never;

export type Role = WorkspaceRole;
export type Workspace = WorkspaceSummary;
export type User = AuthUser;
export type Billing = ResultOf<typeof getWorkspaceBilling>;
export type Payment = ResultOf<typeof getPaymentHistory>['payments'][number];
export type AuditEvent = ResultOf<typeof getAuditEvents>['events'][number];
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

/** What the server said went wrong: its `{ message }` and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Listeners for a 401: the session store signs out when any call finds the session gone.
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    // Every POST declares JSON, even without a body: the server's CSRF defence requires it.
    response = await fetch(path, {
      method,
      headers: method === 'POST' ? { 'content-type': 'application/json' } : {},
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check your connection and try again.');
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    if (response.status === 401) unauthorizedListeners.forEach((listener) => listener());
    const message = (parsed as { message?: unknown } | null)?.message;
    throw new ApiError(response.status, typeof message === 'string' ? message : `The server answered ${response.status} ${response.statusText}`);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const operation = <Args, Result>(name: string) => (args: Args) => request<Result>('POST', `/operations/${name}`, args);
type WorkspaceArgs = { workspaceId: string };

export const api = {
  me: () => request<SessionInfo>('GET', '/auth/me'),
  login: (args: { email: string; password: string }) => request<SessionInfo>('POST', '/auth/login', args),
  signup: (args: { email: string; password: string; workspaceName?: string }) => request<SessionInfo>('POST', '/auth/signup', args),
  logout: () => request<null>('POST', '/auth/logout'),

  createWorkspace: operation<{ name: string }, Workspace>('createWorkspace'),
  getWorkspaceMembers: operation<WorkspaceArgs, Member[]>('getWorkspaceMembers'),
  addWorkspaceMember: operation<WorkspaceArgs & { email: string; role: Role }, Member>('addWorkspaceMember'),

  getWorkspaceBilling: operation<WorkspaceArgs, Billing>('getWorkspaceBilling'),
  getPaymentHistory: operation<WorkspaceArgs & { cursor?: string; limit?: number }, ResultOf<typeof getPaymentHistory>>('getPaymentHistory'),
  generateCheckoutSession: operation<WorkspaceArgs & { planId: string }, ResultOf<typeof generateCheckoutSession>>('generateCheckoutSession'),
  getCustomerPortalUrl: operation<WorkspaceArgs, ResultOf<typeof getCustomerPortalUrl>>('getCustomerPortalUrl'),
  changePlan: operation<WorkspaceArgs & { planId: string }, ResultOf<typeof changePlan>>('changePlan'),
  cancelSubscription: operation<WorkspaceArgs & { atPeriodEnd?: boolean }, ResultOf<typeof cancelSubscription>>('cancelSubscription'),
  resumeSubscription: operation<WorkspaceArgs, ResultOf<typeof resumeSubscription>>('resumeSubscription'),

  getAuditEvents: operation<AuditQuery, ResultOf<typeof getAuditEvents>>('getAuditEvents'),
  /** The local SMTP capture's inbox; a 404 means it is off (a real SMTP server is configured). */
  getCapturedEmails: () => request<Email[]>('GET', '/dev/emails'),
};
