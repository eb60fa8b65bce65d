import type { RequestHandler } from 'express';
import { HttpError } from '../server/HttpError.js';
import type { AuthUser } from '../server/operationContext.js';
import type { SmtpCapture } from './smtpCapture.js';

/**
 * GET /dev/emails: the local SMTP capture's messages (development only: production mode needs
 * SMTP_HOST, so there is no capture). Receipts name owners, workspaces and amounts, so a signed-in
 * user reads the mail addressed to them, a site admin all of it, and anonymous callers nothing.
 */
export function capturedEmailsRoute(capture: SmtpCapture): RequestHandler {
  return (_req, res) => {
    const user = res.locals.user as AuthUser | undefined;
    if (!user) throw new HttpError(401, 'You must be logged in to read captured emails');
    const messages = capture.messages();
    const mine = (to: string) => to.toLowerCase() === user.email.toLowerCase();
    res.json(user.isAdmin ? messages : messages.filter((message) => message.to.some(mine)));
  };
}
