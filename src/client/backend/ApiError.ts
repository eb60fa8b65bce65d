/** What the server said went wrong: its `{ message }` and the HTTP status (0: the server was not reached). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

// Listeners for a 401: the session store signs out when any call finds the session gone.
const unauthorizedListeners = new Set<() => void>();

export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export const UNREACHABLE = 'Cannot reach the server. Check your connection and try again.';

/** Each implementation's one way to fail a call: a 401 also tells the session store. */
export function apiError(status: number, message: string): ApiError {
  if (status === 401) unauthorizedListeners.forEach((listener) => listener());
  return new ApiError(status, message);
}
