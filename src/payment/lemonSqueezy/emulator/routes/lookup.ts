import { notFound } from '../jsonapi.js';
import { parseId } from '../store.js';

/** The object with the id in the URL, or a 404 (also for ids that are not integers). */
export function byId<T>(map: Map<number, T>, raw: string | undefined): T {
  const id = raw === undefined ? null : parseId(raw);
  const found = id === null ? undefined : map.get(id);
  if (!found) throw notFound();
  return found;
}

/** The id in the document must be the one in the URL. */
export function sameId(documentId: string | undefined, urlId: string | undefined): boolean {
  return documentId === undefined || documentId === urlId;
}
