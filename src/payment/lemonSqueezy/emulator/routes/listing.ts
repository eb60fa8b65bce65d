import type { Request, Response } from 'express';
import type { EmulatorContext } from '../context.js';
import { apiError, JSON_API_VERSION, sendDocument } from '../jsonapi.js';

/** A filter of a list: `filter[<name>]` matches when the item's value, as text, equals the query's. */
export type ListFilters<T> = Record<string, (item: T) => string | number | boolean | null>;

function queryText(req: Request, key: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw apiError(400, `The ${key} query parameter must be given once.`);
  return value;
}

function positiveInt(req: Request, key: string, fallback: number, max: number): number {
  const raw = queryText(req, key);
  if (raw === undefined) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 1 && value <= max)) throw apiError(400, `The ${key} query parameter must be a whole number from 1 to ${max}.`);
  return value;
}

/**
 * Answers a JSON:API list as LS does: `filter[...]` (only the given ones; another query key is a 400),
 * `page[number]`, `page[size]` (1-100, default 10), `meta.page` and first/last/next/prev links. `include`
 * is accepted (the SDK always sends it) and ignored.
 */
export function sendList<T>(ctx: EmulatorContext, req: Request, res: Response, path: string, items: readonly T[], filters: ListFilters<T>): void {
  const allowed = new Set(['include', 'page[number]', 'page[size]', ...Object.keys(filters).map((name) => `filter[${name}]`)]);
  for (const key of Object.keys(req.query)) {
    if (!allowed.has(key)) throw apiError(400, `The query parameter ${key} is not supported by the local Lemon Squeezy emulator.`);
  }
  const wanted = Object.entries(filters).flatMap(([name, valueOf]) => {
    const text = queryText(req, `filter[${name}]`);
    return text === undefined ? [] : [{ name, text, valueOf }];
  });
  const size = positiveInt(req, 'page[size]', 10, 100);
  const number = positiveInt(req, 'page[number]', 1, 1_000_000);
  const all = items.filter((item) => wanted.every(({ text, valueOf }) => String(valueOf(item)) === text));
  const lastPage = Math.max(1, Math.ceil(all.length / size));
  const data = all.slice((number - 1) * size, number * size);
  const pageLink = (n: number) => {
    const params = new URLSearchParams();
    for (const { name, text } of wanted) params.set(`filter[${name}]`, text);
    params.set('page[number]', String(n));
    params.set('page[size]', String(size));
    return `${ctx.baseUrl()}${path}?${params.toString()}`;
  };
  sendDocument(res, 200, {
    meta: {
      page: {
        currentPage: number,
        from: data.length ? (number - 1) * size + 1 : null,
        lastPage,
        perPage: size,
        to: data.length ? (number - 1) * size + data.length : null,
        total: all.length,
      },
    },
    jsonapi: JSON_API_VERSION,
    links: {
      first: pageLink(1),
      last: pageLink(lastPage),
      ...(number < lastPage ? { next: pageLink(number + 1) } : {}),
      ...(number > 1 ? { prev: pageLink(number - 1) } : {}),
    },
    data,
  });
}
