import { ProcessorError, type ProcessorErrorKind } from '../paymentProcessor.js';

/**
 * What every SDK function resolves to: it never throws for a failed request, it answers
 * `{ statusCode, data, error }` (statusCode null when no HTTP answer was read: network failure, a
 * body that is not JSON).
 */
export interface LemonSqueezyResult<T> {
  statusCode: number | null;
  data: T | null;
  error: Error | null;
}

export interface LemonSqueezyCaller {
  /** Runs one SDK call and returns its data; a failure becomes a ProcessorError prefixed with `what`. */
  call<T>(what: string, request: () => Promise<LemonSqueezyResult<T>>): Promise<T>;
  /** `call`, but "not found" (404) is null. */
  find<T>(what: string, request: () => Promise<LemonSqueezyResult<T>>): Promise<T | null>;
}

/** The one place SDK results become data or classified ProcessorErrors, for the driver holding `apiKey`. */
export function lemonSqueezyCaller(options: { apiKey: string; timeoutMs: number }): LemonSqueezyCaller {
  async function run<T>(what: string, request: () => Promise<LemonSqueezyResult<T>>): Promise<LemonSqueezyResult<T>> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProcessorError('connection', `${what}: Lemon Squeezy did not answer within ${options.timeoutMs / 1000} s`)), options.timeoutMs);
    });
    try {
      return await Promise.race([request(), timeout]);
    } catch (error) {
      if (error instanceof ProcessorError) throw error;
      // The SDK throws (rather than answers) only when a required argument is empty.
      throw new ProcessorError('invalid_request', `${what}: ${safeText(error instanceof Error ? error.message : String(error), options.apiKey)}`);
    } finally {
      clearTimeout(timer);
    }
  }
  return {
    async call(what, request) {
      const result = await run(what, request);
      if (result.error || result.data === null) throw toProcessorError(result, what, options.apiKey);
      return result.data;
    },
    async find(what, request) {
      const result = await run(what, request);
      if (result.statusCode === 404) return null;
      if (result.error || result.data === null) throw toProcessorError(result, what, options.apiKey);
      return result.data;
    },
  };
}

/** HTTP status → kind: the status decides, as with every processor. */
export function kindOfStatus(statusCode: number): ProcessorErrorKind {
  if (statusCode === 401 || statusCode === 403) return 'authentication';
  if (statusCode === 429) return 'rate_limit';
  if (statusCode >= 500) return 'api';
  if (statusCode >= 400) return 'invalid_request';
  return 'api';
}

/**
 * A failed SDK result as a ProcessorError whose message says what failed and why, safe to show: the
 * key is never in it (removed wherever Lemon Squeezy or the network echoes it), nor the request.
 */
export function toProcessorError(result: Pick<LemonSqueezyResult<unknown>, 'statusCode' | 'error'>, what: string, apiKey: string): ProcessorError {
  const { statusCode, error } = result;
  if (statusCode === null) {
    if (error instanceof SyntaxError) return new ProcessorError('api', `${what}: Lemon Squeezy answered with a body that is not JSON`);
    if (error?.name === 'Lemon Squeezy Error') {
      // The SDK's own refusal before any request: "Please provide your Lemon Squeezy API key".
      return new ProcessorError('authentication', `${what}: no Lemon Squeezy API key is set up (check LEMONSQUEEZY_API_KEY)`);
    }
    return new ProcessorError('connection', `${what}: could not reach Lemon Squeezy (${safeText(networkReason(error), apiKey)})`);
  }
  const kind = kindOfStatus(statusCode);
  if (statusCode === 401) return new ProcessorError(kind, `${what}: Lemon Squeezy rejected the API key (check LEMONSQUEEZY_API_KEY)`);
  if (statusCode === 403) return new ProcessorError(kind, `${what}: the API key may not do this (check it belongs to LEMONSQUEEZY_STORE_ID's store)`);
  if (error === null) return new ProcessorError('api', `${what}: Lemon Squeezy answered ${statusCode} without data`);
  return new ProcessorError(kind, `${what}: Lemon Squeezy answered ${statusCode}: ${safeText(detailOf(error), apiKey)}`);
}

/**
 * The SDK's error for an HTTP failure: message = the status text, cause = the body's JSON:API
 * `errors` (`[{ detail, title, source: { pointer } }]`), or its `error` / `message`.
 */
function detailOf(error: Error): string {
  const cause: unknown = error.cause;
  if (Array.isArray(cause)) {
    const details = cause.map((entry) => {
      if (typeof entry !== 'object' || entry === null) return String(entry);
      const { detail, title, source } = entry as { detail?: unknown; title?: unknown; source?: { pointer?: unknown } };
      const text = typeof detail === 'string' ? detail : typeof title === 'string' ? title : 'error';
      return typeof source?.pointer === 'string' ? `${text} (${source.pointer})` : text;
    });
    if (details.length > 0) return details.join('; ');
  }
  if (typeof cause === 'string' && cause !== 'unknown cause') return cause;
  return error.message || 'no details';
}

/** fetch rejects with TypeError("fetch failed") whose cause names the reason (ECONNREFUSED, ENOTFOUND...). */
function networkReason(error: Error | null): string {
  const cause = error?.cause as { code?: unknown; message?: unknown } | undefined;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error?.message || 'network error';
}

const JWT = /\beyJ[\w-]+\.[\w-]+\.[\w-]+/g;
const BEARER = /\bBearer\s+\S+/gi;

/** Text from Lemon Squeezy or the network, without the key (or anything shaped like one), kept short. */
export function safeText(text: string, apiKey: string): string {
  let safe = text;
  if (apiKey.length >= 4) safe = safe.split(apiKey).join('[key]');
  safe = safe.replace(BEARER, 'Bearer [key]').replace(JWT, '[key]').trim();
  if (safe.length > 300) safe = `${safe.slice(0, 297)}...`;
  return safe || 'no details';
}
