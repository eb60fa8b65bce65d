import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawCollector {
  url: string;
  /** Every delivery's bytes and headers, in arrival order. */
  received: { raw: Buffer; headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** For tests: a bare webhook endpoint that keeps what arrives, verifies nothing and answers 200. */
export async function startRawCollector(): Promise<RawCollector> {
  const received: RawCollector['received'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ raw: Buffer.concat(chunks), headers: req.headers });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments-webhook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
