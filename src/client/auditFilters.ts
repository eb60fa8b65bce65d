import type { AuditQuery } from './backend/types.js';

/** The audit log's filters as they stand in the page's URL (shareable, and the back button undoes one). */
export interface AuditFilters {
  workspaceId: string;
  action: string;
  actorId: string;
  /** Calendar days (YYYY-MM-DD) in the viewer's time zone, both included. */
  from: string;
  to: string;
  limit: number;
}

const DEFAULT_PAGE_SIZE = 25;
const FIELDS = ['workspaceId', 'action', 'actorId', 'from', 'to'] as const;

export function filtersFromQuery(query: URLSearchParams): AuditFilters {
  const limit = Number(query.get('limit'));
  return {
    workspaceId: query.get('workspaceId') ?? '',
    action: query.get('action') ?? '',
    actorId: query.get('actorId') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 100 ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** The page URL for these filters; empty ones are left out. */
export function auditUrl(filters: Partial<AuditFilters>): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) if (filters[field]?.trim()) params.set(field, filters[field].trim());
  if (filters.limit && filters.limit !== DEFAULT_PAGE_SIZE) params.set('limit', String(filters.limit));
  const query = params.toString();
  return query ? `/admin/audit?${query}` : '/admin/audit';
}

/** The operation's arguments: days become the instants that start the first and end the last. */
export function auditQuery(filters: AuditFilters): AuditQuery {
  return {
    workspaceId: filters.workspaceId || undefined,
    action: filters.action || undefined,
    actorId: filters.actorId || undefined,
    from: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
    to: filters.to ? new Date(`${filters.to}T23:59:59.999`).toISOString() : undefined,
    limit: filters.limit,
  };
}
