import type { ErrorRequestHandler } from 'express';

/** Stripe's error body: `{ error: { type, code, message, param, ... } }`. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
}

/** Thrown by handlers; the error middleware answers with the real status and Stripe's error body. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

function withDoc(body: StripeErrorBody): StripeErrorBody {
  return body.code ? { ...body, doc_url: `https://stripe.com/docs/error-codes/${body.code.replaceAll('_', '-')}` } : body;
}

export function invalidRequest(message: string, options: { code?: string; param?: string; status?: number } = {}): StripeApiError {
  return new StripeApiError(
    options.status ?? 400,
    withDoc({ type: 'invalid_request_error', message, code: options.code, param: options.param }),
  );
}

export function parameterMissing(param: string, message?: string): StripeApiError {
  return invalidRequest(message ?? `Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function parameterUnknown(param: string, supportedByStripe: boolean): StripeApiError {
  const message = supportedByStripe
    ? `Received parameter ${param}, which the local Stripe emulator does not support.`
    : `Received unknown parameter: ${param}`;
  return invalidRequest(message, { code: 'parameter_unknown', param });
}

/** `resource_missing`: 404 for the object in the URL, 400 for an id passed as a parameter (as Stripe does). */
export function noSuch(kind: string, id: string, param = 'id'): StripeApiError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', param, status: param === 'id' ? 404 : 400 });
}

export function authenticationError(message: string): StripeApiError {
  return new StripeApiError(401, { type: 'invalid_request_error', message });
}

export function idempotencyMismatch(key: string): StripeApiError {
  return new StripeApiError(400, {
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  });
}

/** Express error middleware for the `/v1` API: Stripe's error body with the real status. */
export const apiErrorHandler: ErrorRequestHandler = (err, _req, res, _next) => {
  if (err instanceof StripeApiError) {
    res.status(err.status).json({ error: err.body });
    return;
  }
  if (err && typeof err === 'object' && 'type' in err && err.type === 'entity.too.large') {
    res.status(413).json({ error: { type: 'invalid_request_error', message: 'Request body too large.' } });
    return;
  }
  console.error('[stripe-emulator] internal error', err);
  res.status(500).json({
    error: { type: 'api_error', message: `The Stripe emulator failed: ${err instanceof Error ? err.message : String(err)}` },
  });
};
