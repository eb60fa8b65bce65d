import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the SDK sent: form-encoded body (POST) or query (GET/DELETE), flattened to bracket keys. */
export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export interface CannedResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type Responder = (request: RecordedRequest) => CannedResponse;

/** Stripe's error body for a status; the SDK classifies by the status, the body carries the message. */
export function stripeErrorResponse(status: number, message: string, o: { type?: string; code?: string; headers?: Record<string, string> } = {}): CannedResponse {
  const type = o.type ?? (status === 402 ? 'card_error' : status >= 500 ? 'api_error' : 'invalid_request_error');
  return { status, body: { error: { type, message, ...(o.code && { code: o.code }) } }, ...(o.headers && { headers: o.headers }) };
}

/**
 * A tiny HTTP server the real SDK talks to (through the driver's apiUrl): it records each request and
 * answers from `routes` ("POST /v1/customers" → responder); anything else is Stripe's 404.
 */
export async function startFakeStripeApi() {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, Responder>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const form = req.method === 'POST' ? new URLSearchParams(Buffer.concat(chunks).toString('utf8')) : url.searchParams;
      const recorded: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, params: Object.fromEntries(form), headers: req.headers };
      requests.push(recorded);
      const responder = routes.get(`${recorded.method} ${recorded.path}`);
      const reply = responder ? responder(recorded) : stripeErrorResponse(404, `Unrecognized request URL (${recorded.method}: ${recorded.path}).`);
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_${requests.length}`, ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** Answers `METHOD /path` with the responder (replacing an earlier one). */
    on(route: string, responder: Responder | CannedResponse) {
      routes.set(route, typeof responder === 'function' ? responder : () => responder);
    },
    /** Answers with each response in turn, then repeats the last. */
    sequence(route: string, replies: CannedResponse[]) {
      let next = 0;
      routes.set(route, () => replies[Math.min(next++, replies.length - 1)]!);
    },
    reset() {
      requests.length = 0;
      routes.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeStripeApi = Awaited<ReturnType<typeof startFakeStripeApi>>;
