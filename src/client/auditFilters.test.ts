import { describe, expect, it } from 'vitest';
import { auditQuery, auditUrl, filtersFromQuery } from './auditFilters.js';

describe('audit log filters', () => {
  it('round-trip through the page URL, leaving out what is empty or default', () => {
    const filters = filtersFromQuery(new URLSearchParams('workspaceId=w1&action=payment.*&limit=5'));
    expect(filters).toEqual({ workspaceId: 'w1', action: 'payment.*', actorId: '', from: '', to: '', limit: 5 });
    expect(auditUrl(filters)).toBe('/admin/audit?workspaceId=w1&action=payment.*&limit=5');
    expect(auditUrl({ ...filters, workspaceId: ' ', action: '', limit: 25 })).toBe('/admin/audit');
  });

  it('fall back to the default page size for one the operation would refuse', () => {
    for (const limit of ['0', '101', '2.5', 'many']) expect(filtersFromQuery(new URLSearchParams({ limit })).limit).toBe(25);
  });

  it('turn calendar days into the instants that start the first and end the last, in local time', () => {
    const query = auditQuery(filtersFromQuery(new URLSearchParams('from=2026-11-01&to=2026-11-02')));
    expect(new Date(query.from!).getTime()).toBe(new Date(2026, 10, 1).getTime());
    expect(new Date(query.to!).getTime()).toBe(new Date(2026, 10, 3).getTime() - 1);
    expect(query).toMatchObject({ workspaceId: undefined, action: undefined, actorId: undefined, limit: 25 });
  });
});
