import type Stripe from 'stripe';
import { invalidRequest } from './errors.js';
import { optInt, optString, type Params } from './params.js';
import { snapshot } from './snapshot.js';

type Listable = { id: string; created: number };

/** `created` filters: `created=123` or `created[gte]=...`. */
export function createdFilter(params: Params): (item: { created: number }) => boolean {
  const raw = params.created;
  if (raw === undefined) return () => true;
  if (typeof raw === 'string') {
    const at = optInt(params, 'created');
    return (item) => item.created === at;
  }
  if (Array.isArray(raw)) throw invalidRequest('Invalid created: must be an integer or a hash', { param: 'created' });
  const gt = optInt(raw, 'gt', 'created[gt]');
  const gte = optInt(raw, 'gte', 'created[gte]');
  const lt = optInt(raw, 'lt', 'created[lt]');
  const lte = optInt(raw, 'lte', 'created[lte]');
  return (item) =>
    (gt === undefined || item.created > gt) &&
    (gte === undefined || item.created >= gte) &&
    (lt === undefined || item.created < lt) &&
    (lte === undefined || item.created <= lte);
}

/**
 * A Stripe list page. `items` are in creation order; lists come newest first. `limit` (1-100, default 10),
 * `starting_after` and `ending_before` page through them.
 */
export function listPage<T extends Listable>(items: readonly T[], params: Params, url: string): Stripe.ApiList<T> {
  const limit = optInt(params, 'limit', 'limit', { min: 1, max: 100 }) ?? 10;
  const startingAfter = optString(params, 'starting_after');
  const endingBefore = optString(params, 'ending_before');
  const newestFirst = [...items].reverse();
  let page: T[];
  let hasMore: boolean;
  if (startingAfter) {
    const index = newestFirst.findIndex((i) => i.id === startingAfter);
    if (index === -1) throw invalidRequest(`No such object: '${startingAfter}'`, { code: 'resource_missing', param: 'starting_after' });
    const rest = newestFirst.slice(index + 1);
    page = rest.slice(0, limit);
    hasMore = rest.length > limit;
  } else if (endingBefore) {
    const index = newestFirst.findIndex((i) => i.id === endingBefore);
    if (index === -1) throw invalidRequest(`No such object: '${endingBefore}'`, { code: 'resource_missing', param: 'ending_before' });
    const before = newestFirst.slice(0, index);
    page = before.slice(Math.max(0, before.length - limit));
    hasMore = before.length > limit;
  } else {
    page = newestFirst.slice(0, limit);
    hasMore = newestFirst.length > limit;
  }
  return { object: 'list', data: page.map((i) => snapshot(i)), has_more: hasMore, url };
}
