/*
 * Why this file exists: @lemonsqueezy/lemonsqueezy.js 4 has no option for another API origin. It builds
 * every URL on https://api.lemonsqueezy.com and calls the global `fetch` at call time. To reach a local
 * emulator or a test server (and only then: an `apiUrl` is configured), we wrap globalThis.fetch once
 * and rewrite requests to that one origin onto `apiUrl`. Every other request - the app's own, other
 * SDKs', other hosts - passes through to the original fetch untouched.
 *
 * - Never installed without an apiUrl: in production the SDK talks to Lemon Squeezy with the plain fetch.
 * - Idempotent: installing again never wraps twice; it moves the target (one process talks to one Lemon
 *   Squeezy, as the SDK's module-wide API key already implies). The wrapper carries its state under a
 *   global symbol, so even a second copy of this module finds it.
 */

export const LEMON_SQUEEZY_API_ORIGIN = 'https://api.lemonsqueezy.com';

const REDIRECT = Symbol.for('wasp-billing.lemonSqueezy.apiOriginRedirect');

interface RedirectState {
  /** The origin requests to api.lemonsqueezy.com go to instead, e.g. http://127.0.0.1:12112. */
  target: string;
  /** The fetch that was global before the wrapper: every request ends up here. */
  original: typeof fetch;
}

type RedirectingFetch = typeof fetch & { [REDIRECT]: RedirectState };

function installed(): RedirectState | undefined {
  return (globalThis.fetch as Partial<RedirectingFetch>)[REDIRECT];
}

/** Sends https://api.lemonsqueezy.com/... to `apiUrl` (an http(s) origin) from now on. */
export function installApiOriginRedirect(apiUrl: string): void {
  const target = new URL(apiUrl).origin;
  const existing = installed();
  if (existing) {
    existing.target = target;
    return;
  }
  const state: RedirectState = { target, original: globalThis.fetch };
  const redirecting = ((input: string | URL | Request, init?: RequestInit) => state.original(redirect(input, state.target), init)) as RedirectingFetch;
  Object.defineProperty(redirecting, REDIRECT, { value: state, enumerable: false });
  globalThis.fetch = redirecting;
}

/** Where Lemon Squeezy requests go now: the apiUrl, or undefined when no wrapper is installed. */
export function apiOriginRedirectTarget(): string | undefined {
  return installed()?.target;
}

/** Puts the original fetch back (tests). */
export function uninstallApiOriginRedirect(): void {
  const existing = installed();
  if (existing) globalThis.fetch = existing.original;
}

/** The request with its origin replaced when it is Lemon Squeezy's; anything else as it came. */
export function redirect(input: string | URL | Request, target: string): string | URL | Request {
  const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return input;
  }
  if (url.origin !== LEMON_SQUEEZY_API_ORIGIN) return input;
  const to = new URL(`${url.pathname}${url.search}`, target);
  return input instanceof Request ? new Request(to, input) : to.href;
}
