/**
 * PostgreSQL refuses U+0000 in text and jsonb, and jsonb refuses lone surrogates, though both are valid
 * JSON a processor may sign (a customer's name, a card's decline reason). Every string of a delivery is
 * stored and applied with those characters replaced by U+FFFD (what a decoder does with a sequence it
 * cannot represent), so the delivery is recorded and applied - or recorded failed - instead of failing to
 * be written at all. The rest of each string, and every other value, is kept as it came.
 */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function storableString(value: string): string {
  return value.replace(UNSTORABLE, '\ufffd');
}

/** A copy of `value` with every string (keys too) storable; Dates and other non-plain objects are kept. */
export function storable<T>(value: T): T {
  return clean(value) as T;
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableString(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [storableString(key), clean(inner)]));
}
