import { useCallback, useEffect, useRef, useState } from 'react';

export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CursorPages<T> {
  /** Every page loaded so far, in order; undefined until the first arrives. */
  items: T[] | undefined;
  error: Error | undefined;
  loadingMore: boolean;
  hasMore: boolean;
  loadMore: () => void;
  /** Loads the first page again, keeping what is shown until it arrives (the list may have changed). */
  reload: () => void;
}

/**
 * A keyset-paged list that grows a page at a time ("Show more"). `fetchPage` is read afresh when `deps`
 * change; an answer to an earlier request (a reload overtaken by another) is dropped.
 */
export function useCursorPages<T>(fetchPage: (cursor?: string) => Promise<CursorPage<T>>, deps: readonly unknown[], enabled = true): CursorPages<T> {
  const [items, setItems] = useState<T[]>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<Error>();
  const [loadingMore, setLoadingMore] = useState(false);
  const latest = useRef(0);

  // The caller lists what `fetchPage` depends on, as with useEffect.
  const load = useCallback(async (after?: string) => {
    const request = ++latest.current;
    setLoadingMore(Boolean(after));
    try {
      const page = await fetchPage(after);
      if (request !== latest.current) return;
      setItems((earlier) => (after ? [...(earlier ?? []), ...page.items] : page.items));
      setCursor(page.nextCursor);
      setError(undefined);
    } catch (failure) {
      if (request === latest.current) setError(failure instanceof Error ? failure : new Error(String(failure)));
    } finally {
      if (request === latest.current) setLoadingMore(false);
    }
  }, deps);
  useEffect(() => {
    if (enabled) void load();
  }, [enabled, load]);

  return {
    items,
    error,
    loadingMore,
    hasMore: cursor !== null,
    loadMore: () => {
      if (cursor) void load(cursor);
    },
    reload: () => void load(),
  };
}
