import type { Server } from 'node:http';

/**
 * Stops accepting connections and waits for the requests in flight to be answered; after `drainMs`
 * the connections still open are cut, so a hung request cannot hold shutdown (and PostgreSQL) forever.
 */
export function closeServer(server: Server, drainMs = 10_000): Promise<void> {
  return new Promise<void>((resolve) => {
    const cut = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
    server.closeIdleConnections(); // keep-alive sockets with no request in flight
  });
}
