import { describe, expect, it } from 'vitest';
import { startTestServer } from '../test/testServer.js';

// /healthz tells load balancers "ok"; what startup chose (data path, emulator URL, capture port) is for
// a developer's own machine or a site admin, not for anyone who asks a production server.
describe('GET /healthz', () => {
  it('in production: { ok } alone for anonymous callers and plain users, the details for site admins', async () => {
    const t = await startTestServer({ env: { NODE_ENV: 'production', APP_URL: 'https://billing.example.com' } });
    const user = await t.signup('someone@example.com');
    const admin = await t.signup('admin@example.com');
    for (const cookie of [undefined, user.cookie]) {
      const res = await fetch(`${t.baseUrl}/healthz`, { headers: cookie ? { cookie } : {} });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true });
    }
    const res = await fetch(`${t.baseUrl}/healthz`, { headers: { cookie: admin.cookie } });
    expect(await res.json()).toEqual({ ok: true, processor: 'fake', defaults: { database: 'test database' } });
  });

  it('in development: the details for everyone (it listens on 127.0.0.1 by default)', async () => {
    const t = await startTestServer();
    expect(await (await fetch(`${t.baseUrl}/healthz`)).json()).toEqual({ ok: true, processor: 'fake', defaults: { database: 'test database' } });
  });
});
