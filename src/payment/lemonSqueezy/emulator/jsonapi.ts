import type { ErrorRequestHandler, Response } from 'express';

export const JSON_API = 'application/vnd.api+json';
export const JSON_API_VERSION = { version: '1.0' } as const;

/** One entry of LS's error body `{ jsonapi, errors: [{ detail, status, title, source? }] }`. */
export interface JsonApiErrorObject {
  detail: string;
  status: string;
  title: string;
  source?: { pointer: string };
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
};

/** Thrown by handlers; the error middleware answers with the status and the JSON:API error body. */
export class JsonApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: JsonApiErrorObject[],
  ) {
    super(errors.map((e) => e.detail).join(' '));
    this.name = 'JsonApiError';
  }
}

export function apiError(status: number, detail: string, pointer?: string): JsonApiError {
  const error: JsonApiErrorObject = { detail, status: String(status), title: TITLES[status] ?? 'Error' };
  if (pointer !== undefined) error.source = { pointer };
  return new JsonApiError(status, [error]);
}

export function notFound(): JsonApiError {
  return apiError(404, 'Not Found');
}

export function unauthenticated(): JsonApiError {
  return apiError(401, 'Unauthenticated.');
}

/** 422 with one error per problem, each pointing at the member of the request document. */
export function unprocessable(problems: { pointer: string; detail: string }[]): JsonApiError {
  return new JsonApiError(
    422,
    problems.map((p) => ({ detail: p.detail, source: { pointer: p.pointer }, status: '422', title: TITLES[422]! })),
  );
}

export function sendDocument(res: Response, status: number, document: unknown): void {
  res.status(status).type(JSON_API).send(JSON.stringify(document));
}

/** A single resource: `{ jsonapi, links: { self }, data }`. */
export function sendResource(res: Response, data: { links: { self: string } }, status = 200): void {
  sendDocument(res, status, { jsonapi: JSON_API_VERSION, links: { self: data.links.self }, data });
}

/** Express error middleware for `/v1`: JSON:API errors with the real status. */
export const apiErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof JsonApiError) {
    sendDocument(res, err.status, { jsonapi: JSON_API_VERSION, errors: err.errors });
    return;
  }
  const type = err && typeof err === 'object' && 'type' in err ? (err as { type: unknown }).type : undefined;
  if (type === 'entity.parse.failed') {
    sendDocument(res, 400, { jsonapi: JSON_API_VERSION, errors: apiError(400, 'The request body is not valid JSON.').errors });
    return;
  }
  if (type === 'entity.too.large') {
    sendDocument(res, 413, { jsonapi: JSON_API_VERSION, errors: apiError(413, 'The request body is too large.').errors });
    return;
  }
  console.error('[lemonsqueezy-emulator] internal error', err);
  const detail = `The Lemon Squeezy emulator failed: ${err instanceof Error ? err.message : String(err)}`;
  sendDocument(res, 500, { jsonapi: JSON_API_VERSION, errors: apiError(500, detail).errors });
};
