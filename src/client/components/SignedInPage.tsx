import { useEffect, type ReactNode } from 'react';
import type { Workspace } from '../backend/types.js';
import { navigate } from '../router.js';
import { reloadSession, signedInView, useSession, type SignedIn } from '../session.js';
import { Layout } from './Layout.js';
import { Placeholder } from './Notice.js';

export type WorkspaceView = SignedIn & { workspace: Workspace };

/**
 * A page for signed-in users: sends others to log in (and back here after), and renders `children`
 * for the selected workspace, afresh when the workspace switcher changes it.
 */
export function SignedInPage({ title, children }: { title: string; children: (view: WorkspaceView) => ReactNode }) {
  const session = useSession();
  useEffect(() => {
    if (session.status !== 'signed-out') return;
    const here = window.location.pathname + window.location.search;
    navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
  }, [session.status]);

  let body: ReactNode = <Placeholder />;
  if (session.status === 'unavailable') {
    body = (
      <div className="notice notice-error" role="alert">
        <p>{session.message}</p>
        <button type="button" className="button" onClick={() => void reloadSession()}>
          Try again
        </button>
      </div>
    );
  } else if (session.status === 'signed-in') {
    const view = signedInView(session);
    body = view.workspace ? <div key={view.workspace.id}>{children({ ...view, workspace: view.workspace })}</div> : <p>You are not a member of any workspace yet.</p>;
  }
  return <Layout title={title}>{body}</Layout>;
}
