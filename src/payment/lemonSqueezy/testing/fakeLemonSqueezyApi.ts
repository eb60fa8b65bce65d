import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the SDK sent (reached through the apiOrigin.ts redirect): its JSON:API body parsed. */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface CannedResponse {
  status: number;
  /** JSON, or a string sent as it is (to answer with something that is not JSON). */
  body: unknown;
  /** Answers this late (to see a slow Lemon Squeezy). */
  delayMs?: number;
}

export type Responder = (request: RecordedRequest) => CannedResponse;

/** Lemon Squeezy's error body: JSON:API `errors`, each with a detail and where it points. */
export function lemonSqueezyErrorResponse(status: number, detail: string, pointer?: string): CannedResponse {
  return {
    status,
    body: { jsonapi: { version: '1.0' }, errors: [{ status: String(status), title: titleOf(status), detail, ...(pointer && { source: { pointer } }) }] },
  };
}

function titleOf(status: number): string {
  return ({ 400: 'Bad Request', 401: 'Unauthenticated', 403: 'Forbidden', 404: 'Not Found', 422: 'Unprocessable Entity', 429: 'Too Many Requests' } as Record<number, string>)[status] ?? 'Server Error';
}

/**
 * A tiny HTTP server standing in for api.lemonsqueezy.com: records each request and answers from
 * `routes` ("POST /v1/checkouts" → responder); anything else is Lemon Squeezy's 404.
 */
export async function startFakeLemonSqueezyApi() {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, Responder>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: text ? JSON.parse(text) : null,
      };
      requests.push(recorded);
      const responder = routes.get(`${recorded.method} ${recorded.path}`);
      const reply = responder ? responder(recorded) : lemonSqueezyErrorResponse(404, 'The requested resource could not be found.');
      const isJson = typeof reply.body !== 'string';
      setTimeout(() => {
        res.writeHead(reply.status, { 'content-type': isJson ? 'application/vnd.api+json' : 'text/html' });
        res.end(isJson ? JSON.stringify(reply.body) : reply.body);
      }, reply.delayMs ?? 0);
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
    reset() {
      requests.length = 0;
      routes.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type FakeLemonSqueezyApi = Awaited<ReturnType<typeof startFakeLemonSqueezyApi>>;
