import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { closeServer } from './closeServer.js';

/** A server whose every request waits for `release()`; `arrived` resolves once a request is in the handler. */
async function gatedServer() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const inHandler = new Promise<void>((resolve) => (arrived = resolve));
  const server: Server = createServer((_req, res) => {
    arrived();
    void gate.then(() => res.end('done'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, release, inHandler };
}

describe('closeServer', () => {
  it('answers the request in flight, refuses new connections, then resolves', async () => {
    const { server, url, release, inHandler } = await gatedServer();
    const inFlight = fetch(url).then(async (res) => ({ status: res.status, text: await res.text() }));
    await inHandler;
    const closed = closeServer(server, 60_000);
    await expect(fetch(url)).rejects.toThrow();
    release();
    expect(await inFlight).toEqual({ status: 200, text: 'done' });
    await closed;
    expect(server.listening).toBe(false);
  });

  it('cuts a request that is still hanging when the drain time is up', async () => {
    const { server, url, inHandler } = await gatedServer();
    const hung = fetch(url).then(() => 'answered', () => 'cut');
    await inHandler;
    await closeServer(server, 50);
    expect(await hung).toBe('cut');
  });
});
