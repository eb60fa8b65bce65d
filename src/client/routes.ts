/**
 * Every page path of the web app. The server answers exactly these with index.html (no catch-all, so
 * /auth, /operations, /healthz and /dev/emails keep their own 404s); App.tsx maps each to its page.
 */
export const pagePaths = [
  '/',
  '/login',
  '/signup',
  '/pricing',
  '/checkout',
  '/billing',
  '/admin/audit',
  '/admin/deliveries',
  '/emails',
  '/members',
] as const;

export type PagePath = (typeof pagePaths)[number];
