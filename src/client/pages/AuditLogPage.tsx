import { useState } from 'react';
import { api } from '@billing/backend';
import type { Workspace } from '../backend/types.js';
import { exportAuditCsv } from '../auditExport.js';
import { auditQuery, auditUrl, filtersFromQuery, type AuditFilters } from '../auditFilters.js';
import { AuditTable } from '../components/AuditTable.js';
import { Field } from '../components/Field.js';
import { ErrorNotice, Placeholder, StatusNotice } from '../components/Notice.js';
import { SignedInPage, type WorkspaceView } from '../components/SignedInPage.js';
import { download } from '../csv.js';
import { navigate, useLocation } from '../router.js';
import { onSubmitRun, useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';

const ACTION_SUGGESTIONS = [
  'payment.*', 'subscription.*', 'checkout.*', 'credits.*', 'member.*', 'portal.*', 'user.*', 'workspace.*', 'delivery.*',
  'payment.succeeded', 'payment.failed', 'payment.refunded', 'checkout.created', 'portal.opened', 'member.added',
];

/** Site admins read every workspace's audit events; workspace owners and admins read their own. */
export function AuditLogPage() {
  return <SignedInPage title="Audit log">{(view) => <AuditLog view={view} />}</SignedInPage>;
}

function AuditLog({ view }: { view: WorkspaceView }) {
  const { query } = useLocation();
  const readable = view.workspaces.filter((w) => w.role !== 'member');
  const filters = filtersFromQuery(query);
  // Only site admins may leave the workspace open; others read one of theirs, the selected one first.
  if (!view.user.isAdmin && !readable.some((w) => w.id === filters.workspaceId)) {
    filters.workspaceId = (readable.find((w) => w.id === view.workspace.id) ?? readable[0])?.id ?? '';
  }
  if (!view.user.isAdmin && readable.length === 0) {
    return <p className="notice notice-info">The audit log is for site admins, and for workspace owners and admins. You are a member of your workspaces.</p>;
  }
  return (
    <>
      {/* Keyed by the URL: new filters reset the form's fields and start again at the first page. */}
      <FilterForm key={`form ${auditUrl(filters)}`} filters={filters} isSiteAdmin={view.user.isAdmin} workspaces={readable} />
      <AuditPages key={`pages ${auditUrl(filters)}`} filters={filters} view={view} />
    </>
  );
}

function FilterForm({ filters, isSiteAdmin, workspaces }: { filters: AuditFilters; isSiteAdmin: boolean; workspaces: Workspace[] }) {
  const apply = onSubmitRun(async (form) => {
    const data = Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)]));
    navigate(auditUrl({ ...data, limit: Number(data.limit) }));
  });
  return (
    <form className="card filters" onSubmit={apply} aria-label="Filter audit events">
      {isSiteAdmin ? (
        <Field label="Workspace ID" name="workspaceId" defaultValue={filters.workspaceId} list="audit-workspaces" placeholder="All workspaces" autoComplete="off" spellCheck={false} />
      ) : (
        <div className="field">
          <label htmlFor="audit-workspace">Workspace</label>
          <select id="audit-workspace" name="workspaceId" defaultValue={filters.workspaceId}>
            {workspaces.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <datalist id="audit-workspaces">
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </datalist>
      <Field label="Action" name="action" defaultValue={filters.action} list="audit-actions" placeholder="e.g. payment.*" autoComplete="off" spellCheck={false} />
      <datalist id="audit-actions">
        {ACTION_SUGGESTIONS.map((action) => (
          <option key={action} value={action} />
        ))}
      </datalist>
      <Field label="Actor ID" name="actorId" defaultValue={filters.actorId} placeholder="Any actor" autoComplete="off" spellCheck={false} />
      <Field label="From" name="from" type="date" defaultValue={filters.from} />
      <Field label="To" name="to" type="date" defaultValue={filters.to} />
      <Field label="Page size" name="limit" type="number" min={1} max={100} defaultValue={filters.limit} />
      <div className="filters-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button type="button" className="button button-quiet" onClick={() => navigate(auditUrl({ limit: filters.limit }))}>
          Clear
        </button>
      </div>
    </form>
  );
}

/** Keyset pages: the cursors of the pages before this one, so "Newer" steps back without OFFSET. */
function AuditPages({ filters, view }: { filters: AuditFilters; view: WorkspaceView }) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const cursor = cursors.at(-1);
  const page = useAsync(() => api.getAuditEvents({ ...auditQuery(filters), cursor }), [cursor]);
  const [exported, setExported] = useState<string>();
  const exporting = useAction(async () => {
    const result = await exportAuditCsv(auditQuery(filters), (count) => setExported(`Exporting: ${count} events read…`));
    download(`audit-events-${new Date().toISOString().slice(0, 10)}.csv`, result.csv);
    setExported(`Exported ${result.count} events${result.truncated ? ' (the first ones only: narrow the filters for the rest)' : ''}.`);
  });

  const pageNumber = cursors.length;
  return (
    <section className="section" aria-labelledby="events-heading" aria-busy={page.loading}>
      <div className="section-header">
        <h2 id="events-heading">Events</h2>
        <button type="button" className="button button-quiet" disabled={exporting.busy} onClick={() => void exporting.run()}>
          {exporting.busy ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      {exported && <StatusNotice busy={exporting.busy}>{exported}</StatusNotice>}
      <ErrorNotice error={exporting.error ?? page.error} />
      {page.data ? (
        page.data.events.length === 0 ? (
          <p className="muted">No events match these filters.</p>
        ) : (
          <AuditTable events={page.data.events} filters={filters} workspaces={view.workspaces} userId={view.user.id} />
        )
      ) : (
        !page.error && <Placeholder lines={Math.min(filters.limit, 10)} label="Loading events" />
      )}
      <nav className="pager" aria-label="Audit log pages">
        <button type="button" className="button button-quiet" disabled={pageNumber === 1 || page.loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← Newer
        </button>
        <span aria-live="polite">Page {pageNumber}</span>
        <button
          type="button"
          className="button button-quiet"
          disabled={!page.data?.nextCursor || page.loading}
          onClick={() => page.data?.nextCursor && setCursors((c) => [...c, page.data!.nextCursor!])}
        >
          Older →
        </button>
      </nav>
    </section>
  );
}
