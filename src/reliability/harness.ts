import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { db } from '../db/client.js';
import { EVENTS_SIGNATURE_HEADER, signEventsPayload } from '../test/eventsWire.js';

// Random per run: the servers started here are given it (FAKE_WEBHOOK_SECRET).
export const FAKE_SECRET = `whsec_fake_${randomBytes(18).toString('base64url')}`;
const ROOT = path.resolve(import.meta.dirname, '../..');

export interface ServerProcesses {
  urls: string[];
  pids: number[];
  output: () => string;
  /** SIGTERM: each stops cleanly. */
  stop: () => Promise<void>;
  /** SIGKILL: each dies where it is (no answer, no cleanup); resolves once they are gone. */
  kill: () => Promise<void>;
}

/** Starts `count` separate Node processes (src/reliability/chaosServer.ts), all on one database; `env` adds variables. */
export async function startServerProcesses(databaseUrl: string, count: number, env: Record<string, string> = {}): Promise<ServerProcesses> {
  const children: ChildProcess[] = [];
  let output = '';
  const urls = await Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/reliability/chaosServer.ts'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, FAKE_WEBHOOK_SECRET: FAKE_SECRET, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`chaos server did not start in 60 s:\n${output}`)), 60_000);
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk;
          const match = /listening on (http:\/\/\S+)/.exec(chunk.toString());
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
        child.once('exit', (code) => reject(new Error(`chaos server exited with ${code}:\n${output}`)));
      });
    }),
  );
  const signalAll = async (signal: NodeJS.Signals) => {
    await Promise.all(
      children.map((child) =>
        child.exitCode !== null || child.signalCode !== null
          ? undefined
          : new Promise<void>((resolve) => {
              child.once('exit', () => resolve());
              child.kill(signal);
            }),
      ),
    );
  };
  return {
    urls,
    pids: children.map((c) => c.pid!),
    output: () => output,
    stop: () => signalAll('SIGTERM'),
    kill: () => signalAll('SIGKILL'),
  };
}

export interface Owners {
  workspaceId: string;
  owners: string[];
  member: string;
}

/**
 * Workspaces for the histories, written straight to the database (sign-up's scrypt would dominate a
 * 10,000-history run; the webhook route is what is under test): one or two owners and a member each.
 */
export async function createWorkspaces(count: number, ownersOf: (i: number) => number): Promise<Owners[]> {
  const result: Owners[] = [];
  const rows = { users: [] as { id: string; email: string; passwordHash: string }[], workspaces: [] as { id: string; name: string }[], memberships: [] as { workspaceId: string; userId: string; role: 'owner' | 'member' }[] };
  for (let i = 0; i < count; i++) {
    const workspaceId = randomUUID();
    rows.workspaces.push({ id: workspaceId, name: `Chaos ${i}` });
    const owners: string[] = [];
    for (let o = 0; o < ownersOf(i); o++) {
      const id = randomUUID();
      const email = `owner${o}-${i}-${id.slice(0, 8)}@chaos.test`;
      owners.push(email);
      rows.users.push({ id, email, passwordHash: 'x' });
      rows.memberships.push({ workspaceId, userId: id, role: 'owner' });
    }
    const memberId = randomUUID();
    const member = `member-${i}-${memberId.slice(0, 8)}@chaos.test`;
    rows.users.push({ id: memberId, email: member, passwordHash: 'x' });
    rows.memberships.push({ workspaceId, userId: memberId, role: 'member' });
    result.push({ workspaceId, owners, member });
  }
  for (let i = 0; i < rows.users.length; i += 5000) await db().user.createMany({ data: rows.users.slice(i, i + 5000) });
  for (let i = 0; i < rows.workspaces.length; i += 5000) await db().workspace.createMany({ data: rows.workspaces.slice(i, i + 5000) });
  for (let i = 0; i < rows.memberships.length; i += 5000) await db().membership.createMany({ data: rows.memberships.slice(i, i + 5000) });
  return result;
}

/** Posts a signed fake-processor delivery to /payments-webhook of the given server. */
export async function deliver(baseUrl: string, delivery: { id: string; type: string; data?: unknown }, secret = FAKE_SECRET): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(delivery);
  return postWebhook(baseUrl, body, () => ({ 'content-type': 'application/json', [EVENTS_SIGNATURE_HEADER]: signEventsPayload(body, secret) }));
}

/**
 * Posts a body to /payments-webhook. `headers` is called per attempt: a Stripe signature carries the
 * time it was made, checked against the server's clock.
 */
export async function postWebhook(baseUrl: string, body: string, headers: () => Record<string, string>): Promise<{ status: number; body: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${baseUrl}/payments-webhook`, { method: 'POST', headers: headers(), body });
      return { status: res.status, body: await res.text() };
    } catch (error) {
      // A keep-alive socket the server closed as the request went out (seen in a long run on a loaded
      // machine): not acknowledged, so sent again, as a processor retries a delivery whose connection failed.
      if (attempt >= 5 || !isConnectionDrop(error)) throw error;
    }
  }
}

function isConnectionDrop(error: unknown): boolean {
  const code = (error as { cause?: { code?: string } }).cause?.code;
  return error instanceof TypeError && (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE');
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}
