import { apiError, UNREACHABLE, type ApiError } from '../../../client/backend/ApiError.js';
import type { Json } from '../../../client/backend/types.js';

/**
 * A result as the standalone server's JSON gives it to the pages: Wasp's superjson brings Dates back
 * as Dates, the pages take ISO strings, as JSON.parse gives them.
 */
export function asPagesSee<T>(value: T): Json<T> {
  return value === undefined ? (value as Json<T>) : (JSON.parse(JSON.stringify(value)) as Json<T>);
}

/** Wasp's client throws its HttpError ({ statusCode, message }); the pages know ApiError. */
export async function failAsApiError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw asApiError(error);
  }
}

function asApiError(error: unknown): ApiError {
  const { statusCode, message } = (error ?? {}) as { statusCode?: unknown; message?: unknown };
  if (typeof statusCode !== 'number') return apiError(0, UNREACHABLE);
  return apiError(statusCode, typeof message === 'string' ? message : `The server answered ${statusCode}`);
}
