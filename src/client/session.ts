import { useEffect, useSyncExternalStore } from 'react';
import { api } from '@billing/backend';
import { ApiError, onUnauthorized } from './backend/ApiError.js';
import type { SessionInfo, User, Workspace } from './backend/types.js';

// Who is signed in and which workspace they are looking at, shared by every page without a provider.

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-out' }
  | { status: 'unavailable'; message: string }
  | ({ status: 'signed-in' } & SessionInfo);

/** A signed-in page's view: the user, their workspaces, and the one selected (with their role in it). */
export interface SignedIn {
  user: User;
  workspaces: Workspace[];
  workspace: Workspace | undefined;
}

const WORKSPACE_KEY = 'billing.workspaceId';
let state: SessionState = { status: 'loading' };
let loading: Promise<void> | undefined;
// A link back from the processor (?workspaceId=) picks the workspace, and it stays picked; otherwise the
// last one chosen here. One the user is not a member of falls back to their first (signedInView).
const linkedWorkspaceId = new URLSearchParams(window.location.search).get('workspaceId');
if (linkedWorkspaceId) window.localStorage.setItem(WORKSPACE_KEY, linkedWorkspaceId);
let selectedWorkspaceId: string | null = window.localStorage.getItem(WORKSPACE_KEY);
const listeners = new Set<() => void>();

function update(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

onUnauthorized(() => update({ status: 'signed-out' }));

export function reloadSession(): Promise<void> {
  loading ??= api
    .me()
    .then(
      (info) => update({ status: 'signed-in', ...info }),
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 401) update({ status: 'signed-out' });
        else update({ status: 'unavailable', message: error instanceof Error ? error.message : String(error) });
      },
    )
    .finally(() => (loading = undefined));
  return loading;
}

export function useSession(): SessionState {
  const current = useSyncExternalStore(subscribe, () => state);
  useEffect(() => {
    if (current.status === 'loading') void reloadSession();
  }, [current.status]);
  return current;
}

export function signedInAs(info: SessionInfo): void {
  update({ status: 'signed-in', ...info });
}

export async function signOut(): Promise<void> {
  await api.logout();
  update({ status: 'signed-out' });
}

export function selectWorkspace(workspaceId: string): void {
  selectedWorkspaceId = workspaceId;
  window.localStorage.setItem(WORKSPACE_KEY, workspaceId);
  if (state.status === 'signed-in') update({ ...state });
}

export function signedInView(session: SessionInfo): SignedIn {
  const workspace = session.workspaces.find((w) => w.id === selectedWorkspaceId) ?? session.workspaces[0];
  return { user: session.user, workspaces: session.workspaces, workspace };
}
