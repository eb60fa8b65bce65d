import type { Store } from './store.js';
import { snapshot } from './snapshot.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expandPath(store: Store, node: unknown, path: string[]): void {
  if (!isObject(node) || path.length === 0) return;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === 'data' && Array.isArray(node.data)) {
    for (const entry of node.data) expandPath(store, entry, rest);
    return;
  }
  const value = node[head];
  if (rest.length === 0) {
    if (typeof value === 'string') {
      const found = store.objectById(value);
      if (found) node[head] = snapshot(found);
    }
    return;
  }
  if (typeof value === 'string') {
    const found = store.objectById(value);
    if (!found) return;
    node[head] = snapshot(found);
  }
  expandPath(store, node[head], rest);
}

/**
 * A copy of `object` with `expand[]` paths (`customer`, `subscription.latest_invoice`, `data.customer`)
 * replaced by the objects they name. Paths that name nothing expandable are left alone.
 */
export function expandObject<T>(store: Store, object: T, paths: readonly string[]): T {
  const copy = snapshot(object);
  for (const path of paths) expandPath(store, copy, path.split('.'));
  return copy;
}
