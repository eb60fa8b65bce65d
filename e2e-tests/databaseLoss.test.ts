import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/db/embeddedPostgres.js';
import { fakeChargePaid } from '../src/payment/fake/testing/fakeEvents.js';
import { FAKE_SIGNATURE_HEADER, signFakePayload } from '../src/payment/fake/webhook/signature.js';
import { freePort } from '../src/server/freePort.js';
import { startServerProcess, type ServerProcess } from './startServerProcess.js';

// PostgreSQL lost under a running `npm start`: every route answers 503 with Retry-After (a processor
// retries the webhook), and the server recovers when an external PostgreSQL comes back, or exits saying
// why when its embedded one died.
const SECRET = 'whsec_e2e_database_loss';
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'billing-e2e-dbloss-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as its own user
  dirs.push(dir);
  return dir;
};
let server: ServerProcess | undefined;
let postgres: RunningPostgres | undefined;
afterAll(async () => {
  await server?.stop();
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { workspaces: { id: string }[] }, cookie: res.headers.getSetCookie()[0]?.split(';')[0] };
}

function deliver(baseUrl: string, delivery: object) {
  const body = JSON.stringify(delivery);
  return fetch(`${baseUrl}/payments-webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [FAKE_SIGNATURE_HEADER]: signFakePayload(body, SECRET) },
    body,
  }).then(async (res) => ({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() }));
}

describe('PostgreSQL lost under npm start', () => {
  it('external DATABASE_URL: healthz, login, an operation and a signed webhook answer 503 + Retry-After, then work again once it is back', async () => {
    const pgDir = path.join(tempDir(), 'pg');
    const port = await freePort();
    postgres = await startEmbeddedPostgres(pgDir, { port });
    server = await startServerProcess({ DATA_DIR: tempDir(), DATABASE_URL: postgres.url('postgres'), PAYMENTS_PROCESSOR: 'fake', FAKE_WEBHOOK_SECRET: SECRET });
    const signup = await post(`${server.url}/auth/signup`, { email: 'owner@example.com', password: 'a long password' });
    expect(signup.status).toBe(201);
    const workspaceId: string = signup.body.workspaces[0]!.id;
    const billing = () => post(`${server!.url}/operations/getWorkspaceBilling`, { workspaceId }, { cookie: signup.cookie! });
    expect((await billing()).status).toBe(200);

    await postgres.stop(); // open sessions are terminated, new connections refused
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('5');
    expect(await billing()).toMatchObject({ status: 503, retryAfter: '5', body: { message: 'The database is unavailable; retry shortly' } });
    expect(await post(`${server.url}/auth/login`, { email: 'owner@example.com', password: 'a long password' })).toMatchObject({ status: 503, retryAfter: '5' });
    const payment = fakeChargePaid({ workspaceId, chargeId: 'fch_while_down', price: 'fake_price_credits10', amount: 990 });
    expect(await deliver(server.url, payment)).toMatchObject({ status: 503, retryAfter: '5' });

    postgres = await startEmbeddedPostgres(pgDir, { port });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    // The processor's retry of the refused delivery is applied once, now.
    expect(await deliver(server.url, payment)).toMatchObject({ status: 200, body: { duplicate: false } });
    expect(await billing()).toMatchObject({ status: 200, body: { credits: 10 } });
    expect((await post(`${server.url}/auth/login`, { email: 'owner@example.com', password: 'a long password' })).status).toBe(200);
    expect(server.output()).not.toContain('unexpected error');
    await server.stop();
    expect(server.output()).toContain('Billing server stopped cleanly');
    await postgres.stop();
  });

  it('embedded PostgreSQL killed: the server exits with 1 and a message that says so', async () => {
    const dataDir = tempDir();
    server = await startServerProcess({ DATA_DIR: dataDir, PAYMENTS_PROCESSOR: 'fake', FAKE_WEBHOOK_SECRET: SECRET });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const postmasterPid = Number(readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmasterPid, 'SIGKILL');
    expect(await server.exited).toBe(1);
    expect(server.output()).toContain(`Billing server exiting: the embedded PostgreSQL in ${path.join(dataDir, 'postgres')} killed by SIGKILL. Start it again with npm start.`);
  });
});
