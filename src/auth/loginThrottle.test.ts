import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import { startServerProcesses, type ServerProcesses } from '../reliability/harness.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { LOGIN_LIMITS } from './loginThrottle.js';

// Two separate server processes on one database: the throttle lives in PostgreSQL, so guesses spread
// over both count as one, as they would behind a load balancer.
const RIGHT = 'correct horse battery';

async function post(url: string, path: string, body: unknown) {
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { message: string } };
}

/** A fresh database and two server processes on it (each describe gets its own, so counts start at zero). */
function twoServersOnOneDatabase() {
  const ctx = {} as { servers: ServerProcesses; prisma: Db; at: (i: number) => string };
  beforeAll(async () => {
    const { url, prisma } = await createTestDatabase();
    ctx.prisma = prisma;
    ctx.servers = await startServerProcesses(url, 2);
    ctx.at = (i) => ctx.servers.urls[i % 2]!;
  });
  afterAll(() => ctx.servers?.stop());
  return ctx;
}

describe('per account', () => {
  const t = twoServersOnOneDatabase();

  it(`after ${LOGIN_LIMITS.account.points} wrong passwords over two processes, even the right one gets 429 with Retry-After; audited once`, async () => {
    expect((await post(t.at(0), '/auth/signup', { email: 'victim@example.com', password: RIGHT })).status).toBe(201);
    for (let i = 0; i < LOGIN_LIMITS.account.points; i++) {
      expect((await post(t.at(i), '/auth/login', { email: 'victim@example.com', password: `guess number ${i}` })).status).toBe(401);
    }
    for (const i of [0, 1]) {
      const refused = await post(t.at(i), '/auth/login', { email: 'Victim@Example.com', password: RIGHT });
      expect(refused.status).toBe(429);
      expect(Number(refused.retryAfter)).toBeGreaterThan(0);
      expect(Number(refused.retryAfter)).toBeLessThanOrEqual(LOGIN_LIMITS.account.duration);
      expect(refused.body.message).toMatch(/Too many login attempts for this account: try again in \d+ seconds/);
    }
    // Another account from the same address is not locked out by this one.
    expect((await post(t.at(1), '/auth/signup', { email: 'bystander@example.com', password: RIGHT })).status).toBe(201);
    expect((await post(t.at(1), '/auth/login', { email: 'bystander@example.com', password: RIGHT })).status).toBe(200);

    const audited = await t.prisma.auditEvent.findMany({ where: { action: 'auth.login_throttled' } });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ workspaceId: null, actorType: 'system', target: 'victim@example.com', metadata: { scope: 'account' } });
  });

  it('a successful login starts the account afresh', async () => {
    expect((await post(t.at(0), '/auth/signup', { email: 'typo@example.com', password: RIGHT })).status).toBe(201);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < LOGIN_LIMITS.account.points - 1; i++) {
        expect((await post(t.at(i), '/auth/login', { email: 'typo@example.com', password: `typo ${i}` })).status).toBe(401);
      }
      expect((await post(t.at(round), '/auth/login', { email: 'typo@example.com', password: RIGHT })).status).toBe(200);
    }
  });
});

describe('per client address', () => {
  const t = twoServersOnOneDatabase();

  // 50 password checks (scrypt) on a shared 2-core machine: more than the default 30 s.
  it(`after ${LOGIN_LIMITS.address.points} failed logins on as many accounts, sent at once, the address gets 429 for any account`, { timeout: 120_000 }, async () => {
    expect((await post(t.at(0), '/auth/signup', { email: 'real@example.com', password: RIGHT })).status).toBe(201);
    // All at once, over both processes: concurrent attempts are each counted (the store increments in SQL).
    const attempts = Array.from({ length: LOGIN_LIMITS.address.points }, (_, i) => post(t.at(i), '/auth/login', { email: `stuffed${i}@example.com`, password: 'leaked password' }));
    expect((await Promise.all(attempts)).map((res) => res.status)).toEqual(Array(LOGIN_LIMITS.address.points).fill(401));
    const refused = await post(t.at(1), '/auth/login', { email: 'real@example.com', password: RIGHT });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/Too many login attempts for your network address/);
    expect(await t.prisma.auditEvent.count({ where: { action: 'auth.login_throttled', metadata: { path: ['scope'], equals: 'address' } } })).toBe(1);
  });
});
