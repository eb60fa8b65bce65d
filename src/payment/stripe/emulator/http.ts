import { createHash } from 'node:crypto';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { authenticationError, idempotencyMismatch, invalidRequest } from './errors.js';
import { requestContext } from './events.js';
import { FormParseError, parseForm } from './formBody.js';
import { newId } from './ids.js';
import type { EmulatorClock } from '../../../emulators/shared/clock.js';
import type { Params } from './params.js';
import type { IdempotentResponse } from './store.js';

interface ApiLocals {
  params: Params;
  apiKey: string;
  requestId: string;
}

function locals(res: Response): ApiLocals {
  return res.locals as ApiLocals;
}

/** The parsed form body and query string of an API request. */
export function paramsOf(res: Response): Params {
  return locals(res).params;
}

function apiKeyOf(req: Request): string | undefined {
  const header = req.get('authorization');
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(header);
  if (basic) return Buffer.from(basic[1]!, 'base64').toString('utf8').split(':')[0];
  return undefined;
}

/** `Authorization: Bearer sk_test_...` (or Basic with the key as user), as Stripe requires. */
export const requireApiKey: RequestHandler = (req, res, next) => {
  const key = apiKeyOf(req);
  if (!key) {
    throw authenticationError(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    );
  }
  if (!/^(sk|rk)_test_\S+$/.test(key)) {
    const shown = key.length > 8 ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : key;
    throw authenticationError(`Invalid API Key provided: ${shown}`);
  }
  locals(res).apiKey = key;
  next();
};

const rawBody = express.raw({ type: () => true, limit: '1mb' });

/** Parses the form body and the query string (Stripe's bracket syntax) into `paramsOf(res)`. */
export const parseParams: RequestHandler = (req, res, next) => {
  rawBody(req, res, (err?: unknown) => {
    if (err) return next(err);
    try {
      const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
      const body = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const contentType = req.get('content-type') ?? '';
      if (body && !contentType.includes('application/x-www-form-urlencoded')) {
        throw invalidRequest(`Invalid request: bodies must be application/x-www-form-urlencoded, got ${contentType || 'no content type'}.`);
      }
      locals(res).params = { ...parseForm(query), ...parseForm(body) };
      next();
    } catch (e) {
      next(e instanceof FormParseError ? invalidRequest(e.message) : e);
    }
  });
};

/**
 * Idempotency keys on POST: the same key and the same request replays the first response (with
 * `Idempotent-Replayed: true`); the same key with other parameters answers 400 `idempotency_error`.
 * As with Stripe, only requests that ran (2xx, and 402) are saved; validation errors are not.
 */
export function idempotency(saved: Map<string, IdempotentResponse>, maxKeys = 10_000): RequestHandler {
  return (req, res, next) => {
    const key = req.get('idempotency-key');
    if (req.method !== 'POST' || !key) return next();
    // Scoped by a hash of the API key, so a state file never holds the key itself.
    const scoped = `${createHash('sha256').update(locals(res).apiKey).digest('hex')}\u0000${key}`;
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.path}\u0000${JSON.stringify(paramsOf(res))}`)
      .digest('hex');
    const previous = saved.get(scoped);
    if (previous) {
      if (previous.fingerprint !== fingerprint) throw idempotencyMismatch(key);
      res.set('Idempotent-Replayed', 'true');
      res.status(previous.status).json(previous.body);
      return;
    }
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if ((res.statusCode >= 200 && res.statusCode < 300) || res.statusCode === 402) {
        saved.set(scoped, { fingerprint, status: res.statusCode, body: JSON.parse(JSON.stringify(body)) });
        // The SDK keys every POST: keep the most recent keys only (Stripe keeps them for 24 hours).
        if (saved.size > maxKeys) saved.delete(saved.keys().next().value!);
      }
      return json(body);
    };
    next();
  };
}

/** A `Request-Id` header (and the id that events caused by this request carry). */
export const requestIds: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const id = newId('req');
  locals(res).requestId = id;
  res.set('Request-Id', id);
  res.set('Stripe-Version', req.get('stripe-version') ?? '2026-10-28.endive');
  next();
};

/**
 * `Date` is the emulator clock, as Stripe's is its own: a client reads the processor's time there (a
 * reconciliation stamps what it fetched with it), and it moves with `advanceClock`.
 */
export function processorDate(clock: EmulatorClock): RequestHandler {
  return (_req, res, next) => {
    res.set('Date', new Date(clock.nowMs()).toUTCString());
    next();
  };
}

/**
 * Runs the rest of the request inside its `event.request` context. Mounted after the body is read, so the
 * (synchronous) handlers run inside it.
 */
export const requestScope: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  requestContext.run({ id: locals(res).requestId, idempotency_key: req.get('idempotency-key') ?? null }, next);
};
