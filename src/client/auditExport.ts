import { api } from '@billing/backend';
import type { AuditEvent, AuditQuery } from './backend/types.js';
import { toCsv } from './csv.js';

// An export reads every page of the filtered log; past this many events, narrow the filters.
const EXPORT_LIMIT = 10_000;

/** Every event the filters match (newest first, up to EXPORT_LIMIT), as CSV; `progress` after each page. */
export async function exportAuditCsv(query: AuditQuery, progress: (count: number) => void): Promise<{ csv: string; count: number; truncated: boolean }> {
  const events: AuditEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.getAuditEvents({ ...query, limit: 100, cursor });
    events.push(...page.events);
    progress(events.length);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && events.length < EXPORT_LIMIT);
  const rows = events.slice(0, EXPORT_LIMIT).map((e) => [
    e.createdAt,
    e.workspaceId ?? '',
    e.action,
    e.actorType,
    e.actorId ?? '',
    e.target ?? '',
    e.metadata == null ? '' : JSON.stringify(e.metadata),
  ]);
  return {
    csv: toCsv([['time', 'workspace_id', 'action', 'actor_type', 'actor_id', 'target', 'metadata'], ...rows]),
    count: rows.length,
    truncated: Boolean(cursor) || events.length > EXPORT_LIMIT,
  };
}
