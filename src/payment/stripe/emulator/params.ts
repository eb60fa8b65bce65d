import type Stripe from 'stripe';
import { invalidRequest, parameterMissing, parameterUnknown } from './errors.js';
import type { FormObject, FormValue } from './formBody.js';

/** Parsed request parameters (form body and query string). */
export type Params = FormObject;

function describe(value: FormValue): string {
  return typeof value === 'string' ? 'a string' : Array.isArray(value) ? 'an array' : 'a hash';
}

/**
 * Rejects parameters outside `supported` and `ignored`. `knownToStripe` lists the rest of Stripe's real
 * parameters for this endpoint, so the message can say "not supported by the emulator" instead of "unknown".
 */
export function checkKeys(
  obj: FormObject,
  spec: { supported: readonly string[]; ignored?: readonly string[]; knownToStripe?: readonly string[] },
  prefix = '',
): void {
  for (const key of Object.keys(obj)) {
    if (spec.supported.includes(key) || spec.ignored?.includes(key)) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    throw parameterUnknown(name, spec.knownToStripe?.includes(key) ?? false);
  }
}

export function optString(obj: FormObject, key: string, param = key): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalidRequest(`Invalid ${param}: must be a string, got ${describe(value)}`, { param });
  return value;
}

export function reqString(obj: FormObject, key: string, param = key): string {
  const value = optString(obj, key, param);
  if (value === undefined) throw parameterMissing(param);
  if (value === '') {
    throw invalidRequest(`You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`, {
      code: 'parameter_invalid_empty',
      param,
    });
  }
  return value;
}

/** A non-empty string, or undefined when absent. Empty strings are rejected. */
export function optNonEmptyString(obj: FormObject, key: string, param = key): string | undefined {
  return obj[key] === undefined ? undefined : reqString(obj, key, param);
}

export function optInt(obj: FormObject, key: string, param = key, range?: { min?: number; max?: number }): number | undefined {
  const raw = optString(obj, key, param);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalidRequest(`Invalid integer: ${raw}`, { code: 'parameter_invalid_integer', param });
  const value = Number(raw);
  if ((range?.min !== undefined && value < range.min) || (range?.max !== undefined && value > range.max)) {
    const bounds = [range.min !== undefined ? `at least ${range.min}` : '', range.max !== undefined ? `at most ${range.max}` : '']
      .filter(Boolean)
      .join(' and ');
    throw invalidRequest(`Invalid ${param}: must be ${bounds}`, { code: 'parameter_invalid_integer', param });
  }
  return value;
}

export function optBool(obj: FormObject, key: string, param = key): boolean | undefined {
  const raw = optString(obj, key, param);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidRequest(`Invalid boolean: ${raw}`, { param });
}

export function optEnum<T extends string>(obj: FormObject, key: string, allowed: readonly T[], param = key): T | undefined {
  const raw = optString(obj, key, param);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw invalidRequest(`Invalid ${param}: must be one of ${allowed.join(', ')}`, { param });
  }
  return raw as T;
}

export function optObject(obj: FormObject, key: string, param = key): FormObject | undefined {
  const value = obj[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'string' || Array.isArray(value)) {
    throw invalidRequest(`Invalid ${param}: must be a hash, got ${describe(value)}`, { param });
  }
  return value;
}

export function optArray(obj: FormObject, key: string, param = key): FormValue[] | undefined {
  const value = obj[key];
  if (value === undefined || value === '') return undefined;
  if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${param} must be an array`, { param });
  return value;
}

/**
 * Metadata as Stripe takes it: a hash of strings (max 50 keys, keys up to 40 characters, values up to 500).
 * An empty value unsets that key; `metadata=` (empty string) unsets everything.
 */
export type MetadataUpdate = { clear: true } | { set: Record<string, string>; unset: string[] };

export function optMetadata(obj: FormObject, key = 'metadata', param = key): MetadataUpdate | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (value === '') return { clear: true };
  if (typeof value === 'string' || Array.isArray(value)) {
    throw invalidRequest(`Invalid ${param}: must be a hash of strings`, { param });
  }
  const set: Record<string, string> = {};
  const unset: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalidRequest(`Invalid value for ${param}[${k}]: metadata values must be strings`, { param: `${param}[${k}]` });
    if (k.length > 40) throw invalidRequest(`Metadata keys can have up to 40 characters; ${param}[${k}] is too long.`, { param: `${param}[${k}]` });
    if (v.length > 500) throw invalidRequest(`Metadata values can have up to 500 characters; ${param}[${k}] is too long.`, { param: `${param}[${k}]` });
    if (v === '') unset.push(k);
    else set[k] = v;
  }
  if (Object.keys(set).length > 50) throw invalidRequest(`Metadata can have up to 50 keys.`, { param });
  return { set, unset };
}

export function applyMetadata(current: Stripe.Metadata, update: MetadataUpdate | undefined): Stripe.Metadata {
  if (!update) return current;
  if ('clear' in update) return {};
  const next: Stripe.Metadata = { ...current, ...update.set };
  for (const k of update.unset) delete next[k];
  return next;
}

export function expandList(params: Params): string[] {
  const value = params.expand;
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (typeof v !== 'string') throw invalidRequest(`Invalid expand[${i}]: must be a string`, { param: `expand[${i}]` });
    return v;
  });
}

export function optUrl(obj: FormObject, key: string, param = key): string | undefined {
  const value = optNonEmptyString(obj, key, param);
  if (value === undefined) return undefined;
  let ok = false;
  try {
    const url = new URL(value.replaceAll('{CHECKOUT_SESSION_ID}', 'x'));
    ok = url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw invalidRequest(`Not a valid URL`, { code: 'url_invalid', param });
  return value;
}
