import { createHash, randomBytes } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { CoreEnv } from '../config/env.js';
import { db } from '../db/client.js';
import type { AuthUser } from '../server/operationContext.js';

export const SESSION_COOKIE = 'billing_session';
const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

// Only the hash is stored: a leaked Session table does not hand out live sessions.
function sessionId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Starts a 30-day session and returns the token for the cookie. */
export async function createSession(userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db().session.create({
    data: { id: sessionId(token), userId, expiresAt: new Date(Date.now() + SESSION_LIFETIME_MS) },
  });
  return token;
}

/** The user a session token belongs to, or undefined when it is unknown or expired. */
export async function userFromSessionToken(token: string): Promise<AuthUser | undefined> {
  const session = await db().session.findUnique({
    where: { id: sessionId(token) },
    include: { user: { select: { id: true, email: true, isAdmin: true } } },
  });
  if (!session || session.expiresAt <= new Date()) return undefined;
  return session.user;
}

export async function deleteSession(token: string): Promise<void> {
  await db().session.deleteMany({ where: { id: sessionId(token) } });
}

/** The session token from the request's Cookie header, if any. */
export function sessionTokenFromCookieHeader(header: string | undefined): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === SESSION_COOKIE) return pair.slice(separator + 1).trim() || undefined;
  }
  return undefined;
}

// HttpOnly keeps scripts from reading it; SameSite=Lax keeps it off cross-site POSTs.
function cookieOptions(env: CoreEnv) {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: new URL(env.APP_URL).protocol === 'https:' } as const;
}

export function setSessionCookie(res: Response, token: string, env: CoreEnv): void {
  res.cookie(SESSION_COOKIE, token, { ...cookieOptions(env), maxAge: SESSION_LIFETIME_MS });
}

export function clearSessionCookie(res: Response, env: CoreEnv): void {
  res.clearCookie(SESSION_COOKIE, cookieOptions(env));
}

/** Sets `res.locals.user` (AuthUser | undefined) from the session cookie. */
export const authenticate: RequestHandler = async (req, res, next) => {
  const token = sessionTokenFromCookieHeader(req.headers.cookie);
  res.locals.user = token ? await userFromSessionToken(token) : undefined;
  next();
};
