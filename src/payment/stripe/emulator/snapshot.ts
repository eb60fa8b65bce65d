/**
 * A deep copy through JSON, which is what a webhook receiver or API client sees (Stripe's `Decimal`
 * values become their decimal strings, as on the wire).
 */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `previous_attributes` for a `*.updated` event: the old values of the top-level fields that changed
 * (`null` for fields that did not exist). For `metadata`, only the changed keys, with their old values.
 */
export function previousAttributes<T extends object>(before: T, after: T): Partial<T> {
  const prev: Record<string, unknown> = {};
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (sameJson(b[key], a[key])) continue;
    if (key === 'metadata' && isPlainObject(b[key]) && isPlainObject(a[key])) {
      const oldMeta = b[key];
      const newMeta = a[key];
      const diff: Record<string, unknown> = {};
      for (const k of new Set([...Object.keys(oldMeta), ...Object.keys(newMeta)])) {
        if (oldMeta[k] !== newMeta[k]) diff[k] = oldMeta[k] ?? null;
      }
      prev[key] = diff;
    } else {
      prev[key] = b[key] === undefined ? null : snapshot(b[key]);
    }
  }
  return prev as Partial<T>;
}
