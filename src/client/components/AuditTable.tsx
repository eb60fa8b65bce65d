import { Fragment, useState } from 'react';
import type { AuditEvent, Workspace } from '../backend/types.js';
import { auditUrl, type AuditFilters } from '../auditFilters.js';
import { formatDayAndTime } from '../format.js';
import { Link } from './Link.js';

const shortId = (id: string) => id.slice(0, 8);

/**
 * One page of audit events. A workspace or actor links to the log filtered by it; "Details" opens the
 * event's metadata in a row below (only then rendered).
 */
export function AuditTable({ events, filters, workspaces, userId }: { events: AuditEvent[]; filters: AuditFilters; workspaces: Workspace[]; userId: string }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const workspaceName = (id: string) => workspaces.find((w) => w.id === id)?.name ?? shortId(id);

  return (
    <div className="table-scroll">
      <table className="audit-table">
        <caption className="visually-hidden">Audit events, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Workspace</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">
              <span className="visually-hidden">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const expanded = open.has(event.id);
            return (
              <Fragment key={event.id}>
                <tr data-testid="audit-row">
                  <td className="nowrap">{formatDayAndTime(event.createdAt)}</td>
                  <td>
                    {event.workspaceId ? (
                      <Link to={auditUrl({ ...filters, workspaceId: event.workspaceId })} title={`Only workspace ${event.workspaceId}`} data-workspace-id={event.workspaceId}>
                        {workspaceName(event.workspaceId)}
                      </Link>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    {event.actorId ? (
                      <Link to={auditUrl({ ...filters, actorId: event.actorId })} title={`Only actor ${event.actorId}`}>
                        {event.actorId === userId ? 'you' : `${event.actorType} ${shortId(event.actorId)}`}
                      </Link>
                    ) : (
                      event.actorType
                    )}
                  </td>
                  <td className="muted" title={event.target ?? undefined}>
                    {event.target ? shortId(event.target) : ''}
                  </td>
                  <td>
                    <button type="button" className="button button-small button-quiet" aria-expanded={expanded} aria-controls={expanded ? `details-${event.id}` : undefined} onClick={() => toggle(event.id)}>
                      {expanded ? 'Hide' : 'Details'}
                    </button>
                  </td>
                </tr>
                {expanded && (
                  <tr id={`details-${event.id}`} className="details-row">
                    <td colSpan={6}>
                      <dl className="details">
                        <dt>Event</dt>
                        <dd>{event.id}</dd>
                        <dt>Workspace</dt>
                        <dd>{event.workspaceId ?? 'none'}</dd>
                        <dt>Actor</dt>
                        <dd>{event.actorId ? `${event.actorType} ${event.actorId}` : event.actorType}</dd>
                        <dt>Target</dt>
                        <dd>{event.target ?? 'none'}</dd>
                        <dt>Metadata</dt>
                        <dd>
                          <pre>{JSON.stringify(event.metadata, null, 2)}</pre>
                        </dd>
                      </dl>
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
