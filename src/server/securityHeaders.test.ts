import { describe, expect, it } from 'vitest';
import { startTestServer } from '../test/testServer.js';

// Through the real app over HTTP: the headers helmet sets, on pages' neighbours (JSON, errors) alike.
const development = await startTestServer();

async function headersOf(baseUrl: string, path: string, init?: RequestInit) {
  const res = await fetch(baseUrl + path, init);
  await res.arrayBuffer();
  return { status: res.status, headers: res.headers };
}

describe('on every answer', () => {
  it('a CSP of our own origin that forbids framing, X-Frame-Options DENY, nosniff and Referrer-Policy same-origin', async () => {
    for (const path of ['/healthz', '/auth/me']) {
      const { headers } = await headersOf(development.baseUrl, path);
      const csp = headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self';/);
      expect(headers.get('x-frame-options')).toBe('DENY');
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('same-origin');
      expect(headers.get('x-powered-by')).toBeNull();
    }
    // Express's own 404 replaces the CSP with a stricter `default-src 'none'`; the rest stays.
    const notFound = await headersOf(development.baseUrl, '/no-such-path');
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-frame-options')).toBe('DENY');
    expect(notFound.headers.get('referrer-policy')).toBe('same-origin');
  });

  it('in development: no HSTS, no upgrade-insecure-requests (plain http); inline styles only, for the captured mail', async () => {
    const { headers } = await headersOf(development.baseUrl, '/healthz');
    expect(headers.get('strict-transport-security')).toBeNull();
    expect(headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(headers.get('content-security-policy')).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe('Cache-Control: no-store', () => {
  it('on /auth/* and /operations/* answers, successes and errors alike', async () => {
    const user = await development.signup('cache@example.com');
    const answers = [
      await headersOf(development.baseUrl, '/auth/me', { headers: { cookie: user.cookie } }),
      await headersOf(development.baseUrl, '/auth/me'),
      await headersOf(development.baseUrl, '/operations/getMyWorkspaces', { method: 'POST', headers: { 'content-type': 'application/json', cookie: user.cookie }, body: '{}' }),
      await headersOf(development.baseUrl, '/operations/noSuchOperation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 200, 404]);
    for (const { headers } of answers) expect(headers.get('cache-control')).toBe('no-store');
  });
});

describe('in production', async () => {
  const production = await startTestServer({ env: { NODE_ENV: 'production', APP_URL: 'https://billing.example.com' } });

  it('HSTS for a year with subdomains; the CSP upgrades insecure requests and allows no inline style either', async () => {
    const { headers } = await headersOf(production.baseUrl, '/healthz');
    expect(headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect(headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
    expect(headers.get('content-security-policy')).toContain("style-src 'self'");
    expect(headers.get('content-security-policy')).not.toContain('unsafe-inline');
  });
});
