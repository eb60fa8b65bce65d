import type { RequestHandler } from 'express';
import { HttpError } from '../server/HttpError.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The CSRF defence: an HTML form on another site can POST form-encoded or text/plain bodies with the
 * user's cookies, but cannot send application/json without a CORS preflight we never grant. So every
 * state-changing request must declare application/json, even one without a body.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!STATE_CHANGING.has(req.method)) return next();
  const contentType = req.headers['content-type'];
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return next();
  next(
    new HttpError(
      415,
      `${req.method} requests must send Content-Type: application/json (got ${contentType ? `'${contentType}'` : 'none'})`,
    ),
  );
};
