import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebhookDispatcher } from './webhookDispatcher.js';

// A receiver whose answer each test decides (`answer`), holding requests while it returns nothing.
let answer: (body: string, res: ServerResponse) => void;
const held: ServerResponse[] = [];
let server: Server;

async function receiver(): Promise<string> {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk));
    req.on('end', () => answer(body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

afterEach(async () => {
  for (const res of held.splice(0)) res.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Items are their ids and bodies; a retry waits a minute unless `attempts` is 1. */
function dispatcher(url: string, attempts: number, changed?: () => void) {
  return new WebhookDispatcher<string, { id: string; status: number | 'error' }>({
    url,
    retry: { attempts, baseDelayMs: 60_000 },
    backoffFactor: 2,
    timeoutMs: 10_000,
    idOf: (item) => item,
    customerOf: () => null,
    request: (item) => ({ body: item, headers: {} }),
    record: (item, status) => ({ id: item, status }),
    changed,
  });
}

describe('pending()', () => {
  it('lists what is in flight, waiting for a retry and queued at stop, in the order enqueued, and gives none of it up', async () => {
    const url = await receiver();
    answer = (body, res) => (body === 'retry' ? res.writeHead(503).end() : held.push(res));
    const d = dispatcher(url, 3);
    const settled: string[] = [];
    d.enqueue('retry', () => settled.push('retry'));
    await vi.waitFor(() => expect(d.deliveries()).toEqual([{ id: 'retry', status: 503 }]));
    d.enqueue('in flight', () => settled.push('in flight'));
    await vi.waitFor(() => expect(held).toHaveLength(1));
    d.enqueue('queued', () => settled.push('queued'));
    d.stop();
    expect(d.pending()).toEqual(['retry', 'in flight', 'queued']);
    expect(settled).toEqual(['retry', 'in flight', 'queued']); // nobody waits for a stopped dispatcher
    await d.idle();
    expect(d.undelivered()).toEqual([]);
    expect(d.pending()).toEqual(['retry', 'in flight', 'queued']);
  });

  it('drops what was delivered or given up, telling `changed` each time', async () => {
    const url = await receiver();
    answer = (body, res) => res.writeHead(body === 'bad' ? 400 : 200).end();
    const changed = vi.fn();
    const d = dispatcher(url, 1, changed);
    d.pause();
    d.enqueue('good');
    d.enqueue('bad');
    expect(d.pending()).toEqual(['good', 'bad']);
    await d.resume();
    expect(d.pending()).toEqual([]);
    expect(d.undelivered()).toEqual(['bad']);
    expect(changed).toHaveBeenCalledTimes(4); // two enqueued, one delivered, one given up
    d.stop();
  });
});
