import express, { Router, type Response } from 'express';
import { z } from 'zod';

/**
 * Fault injection for reliability tests: the next matching API requests fail the way a processor's API
 * fails, so the real SDK sees a real 5xx/429, a reset socket or a slow answer. `when: 'before'` fails the
 * request before it runs (an edge 5xx, a rate limiter, a dropped connection: nothing is created);
 * `when: 'after'` runs it (the object is created, the idempotency key saved) and then loses the answer.
 *
 * POST /_emulator/faults {route: "POST /v1/customers", kind: status | reset | slow, status (default 500),
 * ms (slow), when (default before), times (default 1)}; GET /_emulator/faults: the faults still pending
 * and the API requests seen (method, path, idempotency key, the status answered or null when the client
 * got none, the fault, the id of the object it returned unless replayed); DELETE clears both.
 */

const faultSchema = z.object({
  route: z.string().regex(/^(GET|POST|PATCH|DELETE) \/v1\/\S+$/, 'must be "<METHOD> /v1/<path>"'),
  kind: z.enum(['status', 'reset', 'slow']),
  status: z.number().int().min(400).max(599).default(500),
  ms: z.number().int().min(0).max(120_000).default(0),
  when: z.enum(['before', 'after']).default('before'),
  times: z.number().int().min(1).default(1),
});
type Fault = z.output<typeof faultSchema>;

export interface FaultedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  answered: number | null;
  fault: string | null;
  objectId: string | null;
}

/** The error body each emulator's SDK parses; the trace fields are what must never reach a user. */
const ERROR_BODIES = {
  stripe: (status: number) => ({
    error: {
      ...(status === 429
        ? { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests hit the API too quickly.' }
        : { type: 'api_error', message: 'An unknown error occurred' }),
      request_log_url: 'https://dashboard.stripe.com/test/logs/req_fault_trace',
    },
  }),
  jsonapi: (status: number) => ({
    jsonapi: { version: '1.0' },
    errors: [{ status: String(status), title: status === 429 ? 'Too Many Requests' : 'Server Error', detail: 'Please try again later.', meta: { trace: 'fault_trace' } }],
  }),
};

const MAX_LOG = 2_000;

/** The controls and the `/v1` hook; mount before the API. `style` is the emulator's error body. */
export function faultInjection(style: keyof typeof ERROR_BODIES): Router {
  const pending: Fault[] = [];
  const requests: FaultedRequest[] = [];
  const router = Router();

  router.post('/_emulator/faults', express.json(), (req, res) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) {
      res.status(400).json({ error: z.prettifyError(parsed.error) });
      return;
    }
    pending.push(parsed.data);
    res.json({ pending: pending.length });
  });
  router.get('/_emulator/faults', (_req, res) => {
    res.json({ pending, requests });
  });
  router.delete('/_emulator/faults', (_req, res) => {
    pending.length = 0;
    requests.length = 0;
    res.json({ cleared: true });
  });

  router.use('/v1', (req, res, next) => {
    const path = req.originalUrl.split('?')[0]!;
    const record: FaultedRequest = { method: req.method, path, idempotencyKey: req.get('idempotency-key') ?? null, answered: null, fault: null, objectId: null };
    requests.push(record);
    if (requests.length > MAX_LOG) requests.shift();
    res.once('close', () => (record.answered = res.writableFinished ? res.statusCode : null));

    const fault = take(pending, `${req.method} ${path}`);
    if (fault) record.fault = `${fault.when} ${fault.kind}${fault.kind === 'status' ? ` ${fault.status}` : ''}`;
    const fail = (send: () => unknown) => {
      if (fault?.kind === 'reset') req.socket.destroy();
      else if (fault?.kind === 'status') res.status(fault.status).json(ERROR_BODIES[style](fault.status));
      else setTimeout(send, fault?.ms);
    };
    interceptAnswer(res, record, fault?.when === 'after' ? fail : undefined);
    if (fault?.when === 'before') fail(next);
    else next();
  });
  return router;
}

/** The first pending fault for this route, used up after `times` requests. */
function take(pending: Fault[], route: string): Fault | undefined {
  const index = pending.findIndex((f) => f.route === route);
  if (index < 0) return undefined;
  const fault = pending[index]!;
  if (--fault.times === 0) pending.splice(index, 1);
  return { ...fault };
}

/**
 * Notes the id of the object a fresh (not replayed) 2xx answer carries, then sends that answer, or hands
 * it to `lose` (the request has run; only its answer is replaced, dropped or delayed).
 */
function interceptAnswer(res: Response, record: FaultedRequest, lose?: (send: () => unknown) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.end = ((...args: unknown[]) => {
    if (res.statusCode < 300 && res.getHeader('idempotent-replayed') !== 'true') record.objectId = idOf(args[0]);
    if (!lose) return end(...args);
    res.end = end as Response['end']; // the replacement answer goes straight out
    lose(() => end(...args));
    return res;
  }) as Response['end'];
}

function idOf(chunk: unknown): string | null {
  try {
    const body = JSON.parse(String(chunk)) as { id?: unknown; data?: { id?: unknown } };
    const id = body.id ?? body.data?.id;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}
