/**
 * Stripe's form encoding: `a[b][0][c]=1&expand[]=x`. Parsed into nested plain objects; an object whose keys
 * are all array indices (`0`, `1`, ...) or that was built with `[]` becomes an array.
 */
export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class FormParseError extends Error {}

function splitKey(raw: string): string[] {
  const first = raw.indexOf('[');
  if (first <= 0) return [raw];
  const parts = [raw.slice(0, first)];
  let pos = first;
  while (pos < raw.length) {
    const close = raw.indexOf(']', pos);
    if (raw[pos] !== '[' || close === -1) throw new FormParseError(`Invalid parameter name: ${raw}`);
    parts.push(raw.slice(pos + 1, close));
    pos = close + 1;
  }
  return parts;
}

const APPEND = Symbol('append');
type Building = { [key: string]: Building | string; [APPEND]?: number };

function decode(component: string): string {
  try {
    return decodeURIComponent(component.replace(/\+/g, ' '));
  } catch {
    throw new FormParseError(`Invalid percent-encoding in: ${component}`);
  }
}

export function parseForm(body: string): FormObject {
  const root: Building = Object.create(null) as Building;
  if (!body) return {};
  for (const pair of body.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = decode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decode(pair.slice(eq + 1));
    const parts = splitKey(rawKey);
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      let part = parts[i]!;
      if (FORBIDDEN_KEYS.has(part)) throw new FormParseError(`Invalid parameter name: ${rawKey}`);
      if (part === '') {
        // `expand[]=a&expand[]=b`: append.
        const next = node[APPEND] ?? 0;
        node[APPEND] = next + 1;
        part = String(next);
      }
      if (i === parts.length - 1) {
        node[part] = value;
      } else {
        const existing = node[part];
        if (typeof existing === 'string') throw new FormParseError(`Invalid parameter name: ${rawKey} (conflicts with a value)`);
        node = existing ?? (node[part] = Object.create(null) as Building);
      }
    }
  }
  return finish(root) as FormObject;
}

function finish(node: Building | string): FormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const isArray = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  if (isArray) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => finish(node[String(k)]!));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = finish(node[k]!);
  return out;
}
