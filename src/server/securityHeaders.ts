import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { isProduction, type CoreEnv } from '../config/env.js';

/**
 * Headers on every answer. The CSP allows only our own scripts, styles and connections (the pages are
 * Vite's bundle: no inline script or style), no framing anywhere (frame-ancestors and, for old
 * browsers, X-Frame-Options), and no referrer leaving the site (workspace ids travel in page URLs).
 * HSTS and upgrade-insecure-requests only in production: a development server is plain http.
 * Development also allows inline styles: the captured-mail page (development only) shows each email's
 * HTML, styled inline as email must be, in a script-less sandboxed iframe that inherits this policy.
 */
export function securityHeaders(env: CoreEnv): RequestHandler {
  const production = isProduction(env);
  return helmet({
    contentSecurityPolicy: {
      directives: {
        'style-src': production ? ["'self'"] : ["'self'", "'unsafe-inline'"],
        'frame-ancestors': ["'none'"],
        'upgrade-insecure-requests': production ? [] : null,
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: production ? { maxAge: 365 * 24 * 60 * 60, includeSubDomains: true } : false,
  });
}

/** For answers that carry a user's data (sessions, billing): no browser or proxy keeps a copy. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.set('Cache-Control', 'no-store');
  next();
};
