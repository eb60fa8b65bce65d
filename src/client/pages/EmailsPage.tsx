import { useState } from 'react';
import { api } from '@billing/backend';
import { ApiError } from '../backend/ApiError.js';
import type { Email } from '../backend/types.js';
import { Layout } from '../components/Layout.js';
import { ErrorNotice, Placeholder } from '../components/Notice.js';
import { formatDayAndTime } from '../format.js';
import { useAsync } from '../useAsync.js';
import { useInterval } from '../useInterval.js';

const REFRESH_MS = 3_000;

/**
 * The local SMTP capture's inbox (GET /dev/emails): every email the server sent while no SMTP server is
 * configured, newest first. A development tool, like the capture: it needs no login.
 */
export function EmailsPage() {
  const inbox = useAsync(() => api.getCapturedEmails(), []);
  useInterval(inbox.reload, REFRESH_MS);
  const [openIndex, setOpenIndex] = useState<number>();

  const off = inbox.error instanceof ApiError && inbox.error.status === 404;
  let body;
  if (off) {
    body = <p className="notice notice-info">The local email capture is off: SMTP_HOST is set, so emails go to that SMTP server instead.</p>;
  } else if (!inbox.data) {
    body = inbox.error ? <ErrorNotice error={inbox.error} /> : <Placeholder lines={4} label="Loading emails" />;
  } else if (inbox.data.length === 0) {
    body = <p className="muted">No emails yet. Receipts and notices to workspace owners appear here as they are sent.</p>;
  } else {
    // Oldest first from the server; numbered by arrival so an open message stays open as new ones come.
    const newestFirst = inbox.data.map((email, index) => ({ email, index })).reverse();
    const open = openIndex === undefined ? undefined : inbox.data[openIndex];
    body = (
      <div className="inbox">
        <ul className="inbox-list" aria-label="Emails, newest first">
          {newestFirst.map(({ email, index }) => (
            <li key={index}>
              <button type="button" className="inbox-item" aria-pressed={index === openIndex} onClick={() => setOpenIndex(index)}>
                <span className="inbox-subject">{email.subject || '(no subject)'}</span>
                <span className="inbox-meta">
                  To {email.to.join(', ')} · {formatDayAndTime(email.date)}
                </span>
              </button>
            </li>
          ))}
        </ul>
        {open ? <EmailView email={open} /> : <p className="card muted inbox-empty">Choose an email to read it.</p>}
      </div>
    );
  }
  return <Layout title="Emails">{body}</Layout>;
}

function EmailView({ email }: { email: Email }) {
  return (
    <article className="card email" aria-label={email.subject}>
      <h2>{email.subject}</h2>
      <dl className="email-headers">
        <dt>From</dt>
        <dd>{email.from}</dd>
        <dt>To</dt>
        <dd>{email.to.join(', ')}</dd>
        <dt>Date</dt>
        <dd>{formatDayAndTime(email.date)}</dd>
      </dl>
      {/* The HTML part in a sandbox without scripts; the text part where there is none. */}
      {email.html ? <iframe className="email-body" title={`Body of ${email.subject}`} sandbox="" srcDoc={email.html} /> : <pre className="email-text">{email.text}</pre>}
    </article>
  );
}
