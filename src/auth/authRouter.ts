import express from 'express';
import { z } from 'zod';
import { recordAudit } from '../audit/recordAudit.js';
import type { CoreEnv } from '../config/env.js';
import { db } from '../db/client.js';
import { HttpError } from '../server/HttpError.js';
import type { AuthUser } from '../server/operationContext.js';
import { validateArgs } from '../server/validateArgs.js';
import { isUniqueViolation } from '../workspaces/isUniqueViolation.js';
import { createOwnedWorkspace, listWorkspacesOf } from '../workspaces/workspaceStore.js';
import { emailSchema } from './emailSchema.js';
import { countLoginAttempt, countLoginSuccess } from './loginThrottle.js';
import { hashPassword, verifyPassword } from './password.js';
import { newPasswordSchema } from './passwordPolicy.js';
import {
  clearSessionCookie,
  createSession,
  deleteSession,
  sessionTokenFromCookieHeader,
  setSessionCookie,
} from './sessions.js';

const signupBody = z.object({
  email: emailSchema,
  password: newPasswordSchema,
  workspaceName: z.string().trim().min(1).max(100).optional(),
});

const loginBody = z.object({
  email: emailSchema,
  password: z.string().min(1, 'is required'),
});

const userFields = { id: true, email: true, isAdmin: true } as const;

// Login checks a password even for an unknown email, so response time does not reveal which emails exist.
let unknownUserHash: Promise<string> | undefined;

/** Email + password accounts on session cookies; mount at `/auth` after `express.json()` and `authenticate`. */
export function createAuthRouter(env: CoreEnv): express.Router {
  const router = express.Router();

  async function respondWithNewSession(res: express.Response, user: AuthUser, status: number) {
    setSessionCookie(res, await createSession(user.id), env);
    res.status(status).json({ user, workspaces: await listWorkspacesOf(user.id) });
  }

  router.post('/signup', async (req, res) => {
    const { email, password, workspaceName } = validateArgs(signupBody, req.body);
    const passwordHash = await hashPassword(password);
    const user = await db()
      .$transaction(async (tx) => {
        const user = await tx.user.create({
          data: { email, passwordHash, isAdmin: env.ADMIN_EMAILS.includes(email) },
          select: userFields,
        });
        const workspace = await createOwnedWorkspace(tx, user.id, workspaceName ?? `${email}'s workspace`);
        await recordAudit(tx, {
          workspaceId: workspace.id,
          actor: { type: 'user', userId: user.id },
          action: 'user.signed_up',
          target: user.id,
          metadata: { email, isAdmin: user.isAdmin },
        });
        return user;
      })
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new HttpError(409, 'An account with this email already exists');
        throw error;
      });
    await respondWithNewSession(res, user, 201);
  });

  router.post('/login', async (req, res) => {
    const { email, password } = validateArgs(loginBody, req.body);
    // Counted before the password is checked: past the limit even the right one is refused.
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const throttled = await countLoginAttempt(email, address);
    if (throttled) {
      res.set('Retry-After', String(throttled.retryAfterSeconds));
      const whose = throttled.scope === 'account' ? 'this account' : 'your network address';
      throw new HttpError(429, `Too many login attempts for ${whose}: try again in ${throttled.retryAfterSeconds} seconds`, { retryAfterSeconds: throttled.retryAfterSeconds });
    }
    const found = await db().user.findUnique({ where: { email }, select: { ...userFields, passwordHash: true } });
    unknownUserHash ??= hashPassword('placeholder for unknown emails');
    const matches = await verifyPassword(password, found?.passwordHash ?? (await unknownUserHash));
    if (!found || !matches) throw new HttpError(401, 'Invalid email or password');
    await countLoginSuccess(email, address);
    await respondWithNewSession(res, { id: found.id, email: found.email, isAdmin: found.isAdmin }, 200);
  });

  router.post('/logout', async (req, res) => {
    const token = sessionTokenFromCookieHeader(req.headers.cookie);
    if (token) await deleteSession(token);
    clearSessionCookie(res, env);
    res.status(204).end();
  });

  router.get('/me', async (_req, res) => {
    const user = res.locals.user as AuthUser | undefined;
    if (!user) throw new HttpError(401, 'You must be logged in');
    res.json({ user, workspaces: await listWorkspacesOf(user.id) });
  });

  return router;
}
