/** An error with an HTTP status, shaped like Wasp's `HttpError` so operations port to Wasp unchanged. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
