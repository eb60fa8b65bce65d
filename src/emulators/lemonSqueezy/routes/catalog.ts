import { Router, type Request } from 'express';
import type { EmulatorContext } from '../context.js';
import { apiError, JSON_API_VERSION, notFound, sendDocument, sendResource } from '../jsonapi.js';
import { storeView, variantView } from '../objects/catalog.js';
import { parseId } from '../store.js';
import { byId } from './lookup.js';

const ALLOWED_QUERY = new Set(['include', 'filter[product_id]', 'filter[status]', 'page[number]', 'page[size]']);

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

/** `GET /v1/variants` (filter[product_id], filter[status], page[number], page[size]), `/v1/variants/:id`, `/v1/stores/:id`. */
export function catalogRoutes(ctx: EmulatorContext): Router {
  const router = Router();

  router.get('/v1/variants', (req, res) => {
    for (const key of Object.keys(req.query)) {
      if (!ALLOWED_QUERY.has(key)) throw apiError(400, `The query parameter ${key} is not supported by the local Lemon Squeezy emulator.`);
    }
    const productId = queryText(req, 'filter[product_id]');
    const status = queryText(req, 'filter[status]');
    const size = positiveInt(req, 'page[size]', 10, 100);
    const number = positiveInt(req, 'page[number]', 1, 1_000_000);
    const all = [...ctx.store.variants.values()]
      .map((v) => variantView(ctx, v))
      .filter((v) => productId === undefined || String(v.attributes.product_id) === productId)
      .filter((v) => status === undefined || v.attributes.status === status);
    const lastPage = Math.max(1, Math.ceil(all.length / size));
    const data = all.slice((number - 1) * size, number * size);
    const base = `${ctx.baseUrl()}/v1/variants`;
    const pageLink = (n: number) => {
      const params = new URLSearchParams();
      if (productId !== undefined) params.set('filter[product_id]', productId);
      if (status !== undefined) params.set('filter[status]', status);
      params.set('page[number]', String(n));
      params.set('page[size]', String(size));
      return `${base}?${params.toString()}`;
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
  });

  router.get('/v1/variants/:id', (req, res) => {
    sendResource(res, variantView(ctx, byId(ctx.store.variants, req.params.id)));
  });

  router.get('/v1/stores/:id', (req, res) => {
    if (parseId(req.params.id) !== ctx.store.store.id) throw notFound();
    sendResource(res, storeView(ctx));
  });

  return router;
}
