import { beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../audit/auditCursor.js';
import { db } from '../db/client.js';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';

// Valid JSON that PostgreSQL refuses (a NUL, a lone surrogate, a date outside years 1..9999) is a 400
// naming the field, through HTTP, and writes nothing; the same strings were 500s before.
let t: TestServer;
let owner: TestUser;
let admin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  owner = await t.signup('storable-owner@example.com');
  admin = await t.signup('admin@example.com');
});

const counts = async () => ({ workspaces: await db().workspace.count(), ledger: await db().creditLedger.count(), audit: await db().auditEvent.count(), users: await db().user.count() });
// A cursor the server could have encoded, but for a date JavaScript holds and PostgreSQL does not.
const farCursor = Buffer.from(`-100000-01-01T00:00:00.000Z|${'a'.repeat(36)}`).toString('base64url');

describe('strings PostgreSQL cannot store', () => {
  it.each([
    ['createWorkspace', { name: 'Acme\u0000' }, 'name: must not contain NUL'],
    ['createWorkspace', { name: 'Acme \ud800' }, 'name: must not contain lone surrogates'],
    ['spendCredits', { amount: 1, reason: 'export\u0000' }, 'reason: must not contain NUL'],
    ['spendCredits', { amount: 1, reason: '\udfffexport' }, 'reason: must not contain lone surrogates'],
    ['getAuditEvents', { action: 'payment.\u0000*' }, 'action: must not contain NUL'],
    ['getAuditEvents', { actorId: '\ud800' }, 'actorId: must not contain lone surrogates'],
    ['addWorkspaceMember', { email: 'a\u0000@example.com', role: 'member' }, 'email: must not contain NUL'],
  ])('%s(%j): 400 naming the field, nothing written', async (operation, args, message) => {
    const before = await counts();
    const res = await t.call(operation, { workspaceId: owner.workspaceId, ...args }, owner);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(`Invalid arguments: ${message}`);
    expect(await counts()).toEqual(before);
  });

  it('a surrogate pair (an emoji) is fine: only lone halves are refused', async () => {
    const res = await t.call('createWorkspace', { name: 'Acme 🚀' }, owner);
    expect(res.status).toBe(200);
    expect(await db().workspace.findUniqueOrThrow({ where: { id: res.body.id } })).toMatchObject({ name: 'Acme 🚀' });
  });

  it('/auth/signup and /auth/login refuse them too, naming the field', async () => {
    const before = await counts();
    const signup = await t.post('/auth/signup', { email: 'nul@example.com', password: 'a long password', workspaceName: 'Mine\u0000' });
    expect(signup).toMatchObject({ status: 400, body: { message: expect.stringContaining('workspaceName: must not contain NUL') } });
    const login = await t.post('/auth/login', { email: 'storable-owner@example.com', password: 'pass\ud800word' });
    expect(login).toMatchObject({ status: 400, body: { message: expect.stringContaining('password: must not contain lone surrogates') } });
    expect(await counts()).toEqual(before);
  });
});

describe('dates outside what PostgreSQL stores', () => {
  it.each([
    [{ from: '-100000-01-01' }, 'from: must be a date between the years 1 and 9999'],
    [{ to: '+275760-09-13T00:00:00.000Z' }, 'to: must be a date between the years 1 and 9999'],
    [{ from: -8.64e15 }, 'from: must be a date between the years 1 and 9999'],
  ])('getAuditEvents(%j): 400 naming the filter', async (filter, message) => {
    const res = await t.call('getAuditEvents', { workspaceId: owner.workspaceId, ...filter }, owner);
    expect(res).toMatchObject({ status: 400, body: { message: `Invalid arguments: ${message}` } });
  });

  it('years 1 and 9999 are still filters', async () => {
    const res = await t.call('getAuditEvents', { workspaceId: owner.workspaceId, from: '0001-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' }, owner);
    expect(res.status).toBe(200);
    expect(res.body.events.length).toBeGreaterThan(0);
  });

  it('a cursor holding such a date, or a NUL in its id, is refused by the audit log, payment history and deliveries', async () => {
    const nulId = encodeCursor({ createdAt: new Date(), id: 'x\u0000' });
    for (const cursor of [farCursor, nulId]) {
      for (const [operation, user] of [['getAuditEvents', owner], ['getPaymentHistory', owner], ['listFailedDeliveries', admin]] as const) {
        const res = await t.call(operation, { workspaceId: owner.workspaceId, cursor }, user);
        expect(res, operation).toMatchObject({ status: 400, body: { message: 'Invalid arguments: cursor: not a cursor from a previous page' } });
      }
    }
  });
});
