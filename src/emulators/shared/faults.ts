import express, { Router, type Response } from 'express';
import { z } from 'zod';

/**
 * Fault injection for reliability tests: the next matching API requests fail the way a processor's API
 * fails, so the real SDK sees a real 5xx/429, a reset socket or a slow answer. `when: 'before'` fails the
 * request before it runs (an edge 5xx, a rate limiter, a dropped connection: nothing is created);
 * `when: 'after'` runs it (the object is created, the idempotency key saved) and then loses the answer.
 *
 * POST /_emulator/faults {route: "<METHOD> <api path>/<path>" (e.g. "POST /v1/customers"), kind: status |
 * reset | slow, status (default 500), ms (slow), when (default before), times (default 1)};
 * GET /_emulator/faults: the faults still pending and the API requests seen (method, path, idempotency
 * key, the status answered or null when the client got none, the fault, the id of the object it returned
 * unless replayed); DELETE clears both. The emulator gives its API path and error body (FaultStyle).
 */

const faultSchemaUnder = (apiPath: string) =>
  z.object({
    route: z
      .string()
      .regex(/^(GET|POST|PATCH|DELETE) \S+$/, 'must be "<METHOD> <path>"')
      .refine((route) => route.split(' ')[1]!.startsWith(`${apiPath}/`), `must be "<METHOD> ${apiPath}/<path>"`),
    kind: z.enum(['status', 'reset', 'slow']),
    status: z.number().int().min(400).max(599).default(500),
    ms: z.number().int().min(0).max(120_000).default(0),
    when: z.enum(['before', 'after']).default('before'),
    times: z.number().int().min(1).default(1),
  });
type Fault = z.output<ReturnType<typeof faultSchemaUnder>>;

export interface FaultedRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  answered: number | null;
  fault: string | null;
  objectId: string | null;
}

/** What an emulator tells the injector: where its API is and how its API words an error. */
export interface FaultStyle {
  /** The API's mount path, e.g. "/v1": only requests under it are logged and faulted. */
  apiPath: string;
  /** The error body the processor's SDK parses for `status`; trace fields in it must never reach a user. */
  errorBody(status: number): unknown;
}

const MAX_LOG = 2_000;

/** The controls and the API hook; mount before the API. */
export function faultInjection({ apiPath, errorBody }: FaultStyle): Router {
  const faultSchema = faultSchemaUnder(apiPath);
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

  router.use(apiPath, (req, res, next) => {
    const path = req.originalUrl.split('?')[0]!;
    const record: FaultedRequest = { method: req.method, path, idempotencyKey: req.get('idempotency-key') ?? null, answered: null, fault: null, objectId: null };
    requests.push(record);
    if (requests.length > MAX_LOG) requests.shift();
    res.once('close', () => (record.answered = res.writableFinished ? res.statusCode : null));

    const fault = take(pending, `${req.method} ${path}`);
    if (fault) record.fault = `${fault.when} ${fault.kind}${fault.kind === 'status' ? ` ${fault.status}` : ''}`;
    const fail = (send: () => unknown) => {
      if (fault?.kind === 'reset') req.socket.destroy();
      else if (fault?.kind === 'status') res.status(fault.status).json(errorBody(fault.status));
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
