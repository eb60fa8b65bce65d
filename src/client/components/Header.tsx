import { useEffect, useState } from 'react';
import { api } from '@billing/backend';
import { navigate, useLocation } from '../router.js';
import { selectWorkspace, signedInView, signOut, useSession } from '../session.js';
import { roleLabels } from '../format.js';
import { useAction } from '../useAction.js';
import { Link } from './Link.js';
import { ErrorNotice } from './Notice.js';

// Asked once per page load: the Emails link shows only while the local SMTP capture is on.
let emailCapture: Promise<boolean> | undefined;
function useEmailCaptureOn(): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    emailCapture ??= api.getCapturedEmails().then(() => true, () => false);
    void emailCapture.then(setOn);
  }, []);
  return on;
}

export function Header() {
  const session = useSession();
  const { pathname } = useLocation();
  const emailsOn = useEmailCaptureOn();
  const view = session.status === 'signed-in' ? signedInView(session) : undefined;
  const logOut = useAction(async () => {
    await signOut();
    navigate('/login');
  });
  const readsAudit = view && (view.user.isAdmin || view.workspaces.some((w) => w.role !== 'member'));

  const links = [
    { to: '/pricing', label: 'Pricing', show: true },
    { to: '/billing', label: 'Billing', show: Boolean(view) },
    { to: '/members', label: 'Members', show: Boolean(view) },
    { to: '/admin/audit', label: 'Audit log', show: Boolean(readsAudit) },
    { to: '/admin/deliveries', label: 'Deliveries', show: Boolean(view?.user.isAdmin) },
    { to: '/emails', label: 'Emails', show: emailsOn },
  ].filter((link) => link.show);

  return (
    <header className="site-header">
      <div className="site-header-inner">
        <Link to={view ? '/billing' : '/pricing'} className="brand">
          <span className="brand-mark" aria-hidden="true">◆</span> YourSaaS
        </Link>
        <nav aria-label="Main">
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <Link to={link.to} aria-current={pathname === link.to ? 'page' : undefined}>
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          {view?.workspace && (
            <div className="workspace-switcher">
              <label htmlFor="workspace-switcher">Workspace</label>
              <select id="workspace-switcher" value={view.workspace.id} onChange={(event) => selectWorkspace(event.target.value)}>
                {view.workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name} ({roleLabels[w.role]})
                  </option>
                ))}
              </select>
            </div>
          )}
          {view ? (
            <>
              <span className="account-who">
                <span className="account-email" title={view.user.email}>
                  {view.user.email}
                </span>
                {view.user.isAdmin && <span className="badge">Site admin</span>}
              </span>
              <button type="button" className="button button-quiet" disabled={logOut.busy} onClick={() => void logOut.run()}>
                Log out
              </button>
            </>
          ) : (
            session.status !== 'loading' && (
              <>
                <Link to="/login" className="button button-quiet">
                  Log in
                </Link>
                <Link to="/signup" className="button">
                  Sign up
                </Link>
              </>
            )
          )}
        </div>
      </div>
      {logOut.error && (
        <div className="site-header-inner">
          <ErrorNotice error={logOut.error} />
        </div>
      )}
    </header>
  );
}
