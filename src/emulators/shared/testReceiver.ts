import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * For the emulators' tests: a webhook endpoint on a local port that checks every delivery (each emulator's
 * `verify`), answers with `respond`'s status (default 200) and keeps what it received, in arrival order.
 */

/** A verified delivery: what `respond` sees, the key deliveries are counted by, and its record. */
export interface Verified<S, D> {
  subject: S;
  key: string;
  record(status: number): D;
}

/** A refused delivery: what `rejected` keeps and the status the receiver answers with. */
export interface Refused<R> {
  rejection: R;
  status: number;
}

export abstract class VerifyingReceiver<S, D extends { status: number }, R> {
  readonly rejected: R[] = [];
  /** The status to answer with; `count` is how often this delivery (by key) has arrived, this one included. */
  respond: (subject: S, count: number) => number = () => 200;
  /** Every verified delivery, in arrival order. */
  protected readonly log: D[] = [];
  private readonly counts = new Map<string, number>();
  private server: Server | undefined;

  /** Checks one delivery. */
  protected abstract verify(raw: Buffer, headers: IncomingHttpHeaders): Verified<S, D> | Refused<R>;

  async listen(): Promise<this> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(Buffer.concat(chunks), req.headers, res));
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/webhook`;
  }

  /** Deliveries answered with a 2xx, in arrival order. */
  accepted(): D[] {
    return this.log.filter((d) => d.status >= 200 && d.status < 300);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server!.close(() => resolve());
      this.server!.closeAllConnections();
    });
  }

  private handle(raw: Buffer, headers: IncomingHttpHeaders, res: ServerResponse): void {
    const result = this.verify(raw, headers);
    if ('rejection' in result) {
      this.rejected.push(result.rejection);
      res.writeHead(result.status).end();
      return;
    }
    const count = (this.counts.get(result.key) ?? 0) + 1;
    this.counts.set(result.key, count);
    const delivery = result.record(this.respond(result.subject, count));
    this.log.push(delivery);
    res.writeHead(delivery.status, { 'content-type': 'application/json' }).end('{}');
  }
}
