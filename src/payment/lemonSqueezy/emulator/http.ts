import express, { type RequestHandler } from 'express';
import type { z } from 'zod';
import { catchUp } from './billing.js';
import type { EmulatorContext } from './context.js';
import { apiError, JSON_API, unauthenticated, unprocessable } from './jsonapi.js';

/** `Authorization: Bearer <any key>`, else 401 as LS answers it. */
export const requireApiKey: RequestHandler = (req, _res, next) => {
  const header = req.get('authorization') ?? '';
  if (!/^Bearer\s+\S+$/i.test(header.trim())) throw unauthenticated();
  next();
};

/** JSON bodies sent as `application/vnd.api+json` (or plain `application/json`); anything else is a 415. */
export const jsonApiBody: RequestHandler[] = [
  (req, _res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && !req.is([JSON_API, 'application/json'])) {
      throw apiError(415, `Send the request body as ${JSON_API}.`);
    }
    next();
  },
  express.json({ type: [JSON_API, 'application/json'], limit: '1mb', strict: true }),
];

/** Runs what fell due on the clock before the request looks at anything. */
export function catchUpClock(ctx: EmulatorContext): RequestHandler {
  return (_req, _res, next) => {
    catchUp(ctx);
    next();
  };
}

function pointerOf(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '' : `/${path.map(String).join('/')}`;
}

/** Validates a request document; every problem becomes a 422 error with its `source.pointer`. */
export function parseDocument<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body ?? {}, { reportInput: true });
  if (result.success) return result.data;
  const problems: { pointer: string; detail: string }[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        problems.push({ pointer: pointerOf([...issue.path, key]), detail: `The ${key} member is not allowed here.` });
      }
      continue;
    }
    const pointer = pointerOf(issue.path);
    const name = issue.path.length ? String(issue.path[issue.path.length - 1]) : 'document';
    const missing = issue.code === 'invalid_type' && 'input' in issue && issue.input === undefined;
    let detail: string;
    if (missing) detail = `The ${name} member is required.`;
    else if (issue.message.startsWith('must ')) detail = `The ${name} member ${issue.message}.`;
    else if (issue.message.endsWith('.')) detail = issue.message;
    else detail = `The ${name} member is invalid: ${issue.message}.`;
    problems.push({ pointer, detail });
  }
  throw unprocessable(problems);
}
