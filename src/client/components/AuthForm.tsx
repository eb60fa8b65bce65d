import type { ReactNode } from 'react';
import type { SessionInfo } from '../backend/types.js';
import { navigate, safeNextPath, useLocation } from '../router.js';
import { signedInAs } from '../session.js';
import { onSubmitRun, useAction } from '../useAction.js';
import { Link } from './Link.js';
import { ErrorNotice } from './Notice.js';

/**
 * The log-in and sign-up form: `submit` gets the form's fields and returns the new session; then the
 * user goes on to `?next=` (where a signed-in page sent them from) or to `fallback`.
 */
export function AuthForm({ submit, submitLabel, fallback, other, children }: {
  submit: (fields: Record<string, string>) => Promise<SessionInfo>;
  submitLabel: string;
  fallback: string;
  other: { question: string; label: string; path: string };
  children: ReactNode;
}) {
  const next = safeNextPath(useLocation().query.get('next'));
  const action = useAction(async (form: HTMLFormElement) => {
    const fields = Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)]));
    signedInAs(await submit(fields));
    navigate(next ?? fallback);
  });
  const otherPath = next ? `${other.path}?next=${encodeURIComponent(next)}` : other.path;
  return (
    <div className="card auth-card">
      <form onSubmit={onSubmitRun(action.run)} aria-busy={action.busy}>
        {children}
        <ErrorNotice error={action.error} />
        <button type="submit" className="button button-wide" disabled={action.busy}>
          {action.busy ? `${submitLabel}…` : submitLabel}
        </button>
      </form>
      <p className="muted">
        {other.question} <Link to={otherPath}>{other.label}</Link>
      </p>
    </div>
  );
}
