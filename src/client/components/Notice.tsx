import type { ReactNode } from 'react';

/** An operation's error in words (the server's message), announced to screen readers. */
export function ErrorNotice({ error }: { error: Error | undefined }) {
  if (!error) return null;
  return (
    <p className="notice notice-error" role="alert">
      {error.message}
    </p>
  );
}

/** A status that changes while the user waits (a webhook landing), read out politely. */
export function StatusNotice({ tone = 'info', busy = false, children }: { tone?: 'info' | 'success' | 'warning'; busy?: boolean; children: ReactNode }) {
  return (
    <div className={`notice notice-row notice-${tone}`} role="status" aria-busy={busy}>
      {busy && <span className="spinner" aria-hidden="true" />}
      <div>{children}</div>
    </div>
  );
}

/** Space held for content still loading, so nothing jumps when it arrives. */
export function Placeholder({ lines = 3, label = 'Loading' }: { lines?: number; label?: string }) {
  return (
    <div className="placeholder" role="status" aria-label={label}>
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="placeholder-line" />
      ))}
    </div>
  );
}
