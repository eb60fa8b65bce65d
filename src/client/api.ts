// The standalone implementation of the pages' backend (src/client/backend/types.ts): the standalone
// server's HTTP API, `/auth/*` and `POST /operations/<name>`. The pages reach it as `@billing/backend`
// (src/client/backend/alias.ts); a Wasp build gets src/wasp/adapters/client/ instead.
import { apiError, UNREACHABLE } from './backend/ApiError.js';
import type { Accounts, BillingApi, Email, SessionInfo } from './backend/types.js';

export { ApiError, onUnauthorized } from './backend/ApiError.js';
export type * from './backend/types.js';

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
    throw apiError(0, UNREACHABLE);
  }
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : null;
  if (!response.ok) {
    const message = (parsed as { message?: unknown } | null)?.message;
    throw apiError(response.status, typeof message === 'string' ? message : `The server answered ${response.status} ${response.statusText}`);
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

// Args and result come from BillingApi, where `api` meets it (`satisfies`).
const operation = <Args, Result>(name: string) => (args: Args) => request<Result>('POST', `/operations/${name}`, args);

export const api = {
  me: () => request<SessionInfo>('GET', '/auth/me'),
  login: (args) => request<SessionInfo>('POST', '/auth/login', args),
  signup: (args) => request<SessionInfo>('POST', '/auth/signup', args),
  logout: () => request<null>('POST', '/auth/logout'),

  createWorkspace: operation('createWorkspace'),
  getWorkspaceMembers: operation('getWorkspaceMembers'),
  addWorkspaceMember: operation('addWorkspaceMember'),

  getWorkspaceBilling: operation('getWorkspaceBilling'),
  getPaymentHistory: operation('getPaymentHistory'),
  generateCheckoutSession: operation('generateCheckoutSession'),
  getCustomerPortalUrl: operation('getCustomerPortalUrl'),
  changePlan: operation('changePlan'),
  cancelSubscription: operation('cancelSubscription'),
  resumeSubscription: operation('resumeSubscription'),

  getAuditEvents: operation('getAuditEvents'),

  listFailedDeliveries: operation('listFailedDeliveries'),
  replayDelivery: operation('replayDelivery'),
  replayFailedDeliveries: operation('replayFailedDeliveries'),
  getCapturedEmails: () => request<Email[]>('GET', '/dev/emails'),
} satisfies BillingApi & Accounts;

export const accounts: Accounts = api;
