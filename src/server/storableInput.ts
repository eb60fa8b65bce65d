import { z } from 'zod';

// Valid JSON that PostgreSQL refuses would otherwise surface as a 500 from deep inside a query.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why PostgreSQL cannot store this string, or undefined: text refuses NUL, UTF-8 has no lone surrogates. */
export function unstorableStringProblem(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL (\\u0000) characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain lone surrogates (invalid Unicode, e.g. \\ud800)';
  return undefined;
}

/** Every string (and object key) in a JSON value PostgreSQL could not store, with its path (`a.b.0`). */
export function unstorableStrings(value: unknown, path: string[] = []): { path: string; message: string }[] {
  if (typeof value === 'string') {
    const message = unstorableStringProblem(value);
    return message ? [{ path: path.join('.') || 'arguments', message }] : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const keyProblem = unstorableStringProblem(key);
    if (keyProblem) return [{ path: [...path, JSON.stringify(key)].join('.'), message: `key ${keyProblem}` }];
    return unstorableStrings(item, [...path, key]);
  });
}

// PostgreSQL's timestamp reaches 4713 BC to 294276 AD, but JavaScript, ISO 8601 and every client agree
// only on years 1 to 9999; a cursor or filter outside them is not a date anyone meant.
export const EARLIEST_DATE = new Date('0001-01-01T00:00:00.000Z');
export const LATEST_DATE = new Date('9999-12-31T23:59:59.999Z');

export function isStorableDate(date: Date): boolean {
  return date.getTime() >= EARLIEST_DATE.getTime() && date.getTime() <= LATEST_DATE.getTime();
}

/** A date argument (ISO string or epoch ms), within years 1..9999. */
export const storableDate = z.coerce
  .date({ error: 'must be a date' })
  .refine(isStorableDate, { error: 'must be a date between the years 1 and 9999' });
