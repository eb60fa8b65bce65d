import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCoreEnv } from '../config/env.js';
import type { Db } from '../db/client.js';
import { HttpError } from '../server/HttpError.js';
import type { AuthUser } from '../server/operationContext.js';
import { createTestDatabase } from '../test/testDatabase.js';
import type { WorkspaceSummary } from '../workspaces/workspaceStore.js';
import { createAuthRouter } from './authRouter.js';
import { verifyPassword } from './password.js';
import { authenticate, SESSION_COOKIE } from './sessions.js';
import { requireJson } from './requireJson.js';

type AuthBody = { user: AuthUser; workspaces: WorkspaceSummary[] };
type ErrorBody = { message: string };

let prisma: Db;
let baseUrl: string;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ prisma } = await createTestDatabase());
  const app = express();
  app.use(express.json(), authenticate, requireJson);
  app.use('/auth', createAuthRouter(loadCoreEnv({ APP_URL: 'http://localhost:3000', ADMIN_EMAILS: 'Boss@Example.com' })));
  app.use('/secure-auth', createAuthRouter(loadCoreEnv({ APP_URL: 'https://billing.example.com' })));
  app.use(((error, _req, res, _next) => {
    if (error instanceof HttpError) res.status(error.statusCode).json({ message: error.message, ...error.data });
    else res.status(500).json({ message: String(error) });
  }) satisfies express.ErrorRequestHandler);
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});

afterAll(() => close());

function post(path: string, body: unknown, cookie?: string) {
  return fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
}

function me(cookie?: string) {
  return fetch(`${baseUrl}/auth/me`, { headers: cookie ? { cookie } : {} });
}

/** The `name=value` pair of the session cookie a response set, plus its full Set-Cookie line. */
function sessionCookieOf(res: Response): { pair: string; line: string; token: string } {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!line) throw new Error(`no ${SESSION_COOKIE} cookie in ${JSON.stringify(res.headers.getSetCookie())}`);
  const pair = line.split(';')[0]!;
  return { pair, line, token: pair.slice(SESSION_COOKIE.length + 1) };
}

async function signup(email: string, password = 'correct horse', extra: object = {}) {
  const res = await post('/auth/signup', { email, password, ...extra });
  expect(res.status).toBe(201);
  return { res, body: (await res.json()) as AuthBody, cookie: sessionCookieOf(res) };
}

async function rowCounts() {
  const [users, workspaces, memberships, auditEvents, sessions] = await Promise.all([
    prisma.user.count(),
    prisma.workspace.count(),
    prisma.membership.count(),
    prisma.auditEvent.count(),
    prisma.session.count(),
  ]);
  return { users, workspaces, memberships, auditEvents, sessions };
}

describe('POST /auth/signup', () => {
  it('creates the user, a personal workspace, an owner membership and an audit event, and starts a session', async () => {
    const { res, body, cookie } = await signup('  Ann@Example.COM ');

    expect(body.user).toEqual({ id: expect.any(String), email: 'ann@example.com', isAdmin: false });
    expect(body.workspaces).toEqual([{ id: expect.any(String), name: "ann@example.com's workspace", role: 'owner' }]);
    expect(cookie.line).toMatch(/; HttpOnly/i);
    expect(cookie.line).toMatch(/; SameSite=Lax/i);
    expect(cookie.line).toMatch(/; Path=\//i);
    expect(cookie.line).toMatch(/; Max-Age=2592000/i);
    expect(cookie.line).not.toMatch(/; Secure/i);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);

    const workspaceId = body.workspaces[0]!.id;
    const membership = await prisma.membership.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId, userId: body.user.id } },
    });
    expect(membership.role).toBe('owner');
    const audit = await prisma.auditEvent.findMany({ where: { action: 'user.signed_up', actorId: body.user.id } });
    expect(audit).toMatchObject([
      { workspaceId, actorType: 'user', target: body.user.id, metadata: { email: 'ann@example.com' } },
    ]);
    // The database holds the token's sha256, never the token itself.
    const sessions = await prisma.session.findMany({ where: { userId: body.user.id } });
    expect(sessions.map((s) => s.id)).toEqual([createHash('sha256').update(cookie.token).digest('hex')]);
  });

  it('names the workspace when asked', async () => {
    const { body } = await signup('named@example.com', 'correct horse', { workspaceName: '  Acme  ' });
    expect(body.workspaces).toEqual([{ id: expect.any(String), name: 'Acme', role: 'owner' }]);
  });

  it('stores a salted scrypt hash that verifies, not the password', async () => {
    await signup('hash1@example.com', 'same password');
    await signup('hash2@example.com', 'same password');
    const users = await prisma.user.findMany({ where: { email: { in: ['hash1@example.com', 'hash2@example.com'] } } });
    const [first, second] = users.map((u) => u.passwordHash);
    expect(first).toMatch(/^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(first).not.toContain('same password');
    expect(first).not.toBe(second);
    expect(await verifyPassword('same password', first!)).toBe(true);
    expect(await verifyPassword('same passwore', first!)).toBe(false);
    expect(await verifyPassword('same password', 'plain text')).toBe(false);
  });

  it('refuses a second account for the same email (any case) with 409 and writes nothing', async () => {
    await signup('dup@example.com');
    const before = await rowCounts();
    const res = await post('/auth/signup', { email: 'DUP@example.com', password: 'another password' });
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ message: 'An account with this email already exists' });
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await rowCounts()).toEqual(before);
  });

  it('makes emails listed in ADMIN_EMAILS site admins', async () => {
    const { body } = await signup('boss@example.com');
    expect(body.user.isAdmin).toBe(true);
    expect((await prisma.user.findUniqueOrThrow({ where: { email: 'boss@example.com' } })).isAdmin).toBe(true);
  });

  it('answers a bad body with 400 naming each bad field, and writes nothing', async () => {
    const before = await rowCounts();
    const res = await post('/auth/signup', { email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    const { message } = (await res.json()) as ErrorBody;
    expect(message).toContain('email: must be an email address');
    expect(message).toContain('password: must be at least 8 characters');
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a common password (any case) with a message saying so, and writes nothing; no composition rules', async () => {
    const before = await rowCounts();
    for (const password of ['12345678', 'password', 'PassWord', 'iloveyou', 'qwertyuiop']) {
      const res = await post('/auth/signup', { email: 'common@example.com', password });
      expect(res.status).toBe(400);
      expect(((await res.json()) as ErrorBody).message).toContain('password: is one of the most common passwords, which attackers try first');
    }
    expect(await rowCounts()).toEqual(before);
    // Lowercase letters and spaces only, no digit or symbol: long and uncommon is what counts.
    expect((await post('/auth/signup', { email: 'common@example.com', password: 'purple tractor umbrella' })).status).toBe(201);
  });

  it('marks the cookie Secure when APP_URL is https', async () => {
    const res = await post('/secure-auth/signup', { email: 'secure@example.com', password: 'correct horse' });
    expect(res.status).toBe(201);
    expect(sessionCookieOf(res).line).toMatch(/; Secure/i);
  });
});

describe('POST /auth/login', () => {
  beforeAll(async () => {
    await signup('login@example.com', 'right password');
  });

  it('starts a session with the right password and answers like signup', async () => {
    const res = await post('/auth/login', { email: ' LOGIN@example.com', password: 'right password' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as AuthBody;
    expect(body.user).toMatchObject({ email: 'login@example.com', isAdmin: false });
    expect(body.workspaces).toMatchObject([{ name: "login@example.com's workspace", role: 'owner' }]);
    const meRes = await me(sessionCookieOf(res).pair);
    expect(meRes.status).toBe(200);
    expect(((await meRes.json()) as AuthBody).user.id).toBe(body.user.id);
  });

  it('answers a wrong password and an unknown email with the same 401 and no cookie', async () => {
    for (const attempt of [
      { email: 'login@example.com', password: 'wrong password' },
      { email: 'nobody@example.com', password: 'right password' },
    ]) {
      const res = await post('/auth/login', attempt);
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ message: 'Invalid email or password' });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('answers a missing password with 400 naming it', async () => {
    const res = await post('/auth/login', { email: 'login@example.com' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ErrorBody).message).toContain('password');
  });
});

describe('GET /auth/me', () => {
  it('returns the user and their workspaces with roles', async () => {
    const { body, cookie } = await signup('me@example.com');
    const res = await me(cookie.pair);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: body.user, workspaces: body.workspaces });
  });

  it('answers 401 without a cookie, with an unknown token and with an expired session', async () => {
    expect((await me()).status).toBe(401);
    expect((await me(`${SESSION_COOKIE}=forged-token`)).status).toBe(401);

    const { body, cookie } = await signup('expired@example.com');
    expect((await me(cookie.pair)).status).toBe(200);
    await prisma.session.updateMany({ where: { userId: body.user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await me(cookie.pair);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'You must be logged in' });
  });
});

describe('POST /auth/logout', () => {
  it('deletes the session, clears the cookie and answers 204', async () => {
    const { body, cookie } = await signup('logout@example.com');
    const res = await post('/auth/logout', {}, cookie.pair);
    expect(res.status).toBe(204);
    expect(sessionCookieOf(res).line).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(await prisma.session.count({ where: { userId: body.user.id } })).toBe(0);
    // The old token is dead even if a client kept it.
    expect((await me(cookie.pair)).status).toBe(401);
  });
});

describe('requireJson (CSRF defence)', () => {
  it('refuses a form-encoded POST with 415 and changes nothing', async () => {
    const before = await rowCounts();
    const res = await fetch(`${baseUrl}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=form%40example.com&password=correct+horse',
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).message).toBe(
      "POST requests must send Content-Type: application/json (got 'application/x-www-form-urlencoded')",
    );
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a body-less POST without a content type, so a cross-site logout cannot happen', async () => {
    const { cookie } = await signup('csrf@example.com');
    const res = await fetch(`${baseUrl}/auth/logout`, { method: 'POST', headers: { cookie: cookie.pair } });
    expect(res.status).toBe(415);
    expect(((await res.json()) as ErrorBody).message).toContain('(got none)');
    expect((await me(cookie.pair)).status).toBe(200);
  });

  it('lets GET through without a content type', async () => {
    expect((await me()).status).toBe(401);
  });
});
