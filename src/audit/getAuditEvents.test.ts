import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db/client.js';
import { actionFamily } from './recordAudit.js';
import { paymentFailed, paymentSucceeded } from '../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../test/testServer.js';

let t: TestServer;
let siteAdmin: TestUser;
beforeAll(async () => {
  t = await startTestServer();
  siteAdmin = await t.signup('admin@example.com');
});

interface View {
  id: string;
  workspaceId: string | null;
  actorType: string;
  actorId: string | null;
  action: string;
  target: string | null;
  createdAt: string;
}
interface Page {
  events: View[];
  nextCursor: string | null;
}

const suffix = () => randomUUID().slice(0, 8);

async function read(args: Record<string, unknown>, user: TestUser): Promise<Page> {
  const res = await t.call('getAuditEvents', args, user);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Page;
}

/** Inserts audit events directly, so their createdAt (and id) are exactly what a test needs. */
async function insertEvents(rows: { workspaceId: string | null; id?: string; action?: string; actorId?: string | null; createdAt: Date }[]) {
  await db().auditEvent.createMany({
    data: rows.map((r) => ({
      id: r.id ?? randomUUID(),
      workspaceId: r.workspaceId,
      actorType: r.actorId ? 'user' : 'system',
      actorId: r.actorId ?? null,
      action: r.action ?? 'test.event',
      actionFamily: actionFamily(r.action ?? 'test.event'),
      createdAt: r.createdAt,
    })),
  });
}

/** A workspace with no events at all (sign-up would write one), owned by a fresh user. */
async function emptyWorkspace(): Promise<{ owner: TestUser; workspaceId: string }> {
  const owner = await t.signup(`bare-${suffix()}@example.com`);
  const workspace = await db().workspace.create({ data: { name: 'Bare', memberships: { create: { userId: owner.id, role: 'owner' } } } });
  return { owner, workspaceId: workspace.id };
}

describe('who may read', () => {
  let ownerA: TestUser, wsAdminA: TestUser, memberA: TestUser, ownerB: TestUser;
  let A: string, B: string;
  beforeAll(async () => {
    const n = suffix();
    ownerA = await t.signup(`owner-a-${n}@example.com`);
    wsAdminA = await t.signup(`wsadmin-a-${n}@example.com`);
    memberA = await t.signup(`member-a-${n}@example.com`);
    ownerB = await t.signup(`owner-b-${n}@example.com`);
    await t.addMember(ownerA, wsAdminA, 'admin');
    await t.addMember(ownerA, memberA, 'member');
    A = ownerA.workspaceId;
    B = ownerB.workspaceId;
  });

  it('needs a user (401)', async () => {
    const res = await t.call('getAuditEvents', { workspaceId: A });
    expect(res.status).toBe(401);
    expect(res.body.events).toBeUndefined();
  });

  it('refuses a plain member of the workspace (403)', async () => {
    const res = await t.call('getAuditEvents', { workspaceId: A }, memberA);
    expect(res.status).toBe(403);
    expect(res.body.events).toBeUndefined();
  });

  it("lets the owner and a workspace admin read their workspace's events, only those", async () => {
    const asOwner = await read({ workspaceId: A }, ownerA);
    const asAdmin = await read({ workspaceId: A }, wsAdminA);
    expect(asOwner.events.length).toBeGreaterThanOrEqual(3);
    expect(asOwner.events.every((e) => e.workspaceId === A)).toBe(true);
    expect(asOwner.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'user.signed_up', actorId: ownerA.id, target: ownerA.id }),
        expect.objectContaining({ action: 'member.added', actorId: ownerA.id, target: wsAdminA.id }),
        expect.objectContaining({ action: 'member.added', actorId: ownerA.id, target: memberA.id }),
      ]),
    );
    expect(asAdmin).toEqual(asOwner);
  });

  it("answers 404 for another workspace's events, to its owner and to a workspace admin", async () => {
    for (const user of [ownerA, wsAdminA, memberA]) {
      const res = await t.call('getAuditEvents', { workspaceId: B }, user);
      expect(res.status).toBe(404);
      expect(res.body.events).toBeUndefined();
    }
  });

  it('refuses a non-admin without a workspaceId (403), whatever their roles', async () => {
    for (const user of [ownerA, wsAdminA, memberA]) {
      const res = await t.call('getAuditEvents', {}, user);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/site admins/);
    }
  });

  it('lets a site admin read every workspace, with and without a workspaceId', async () => {
    const all = await read({ limit: 100 }, siteAdmin);
    const workspaces = new Set(all.events.map((e) => e.workspaceId));
    expect(workspaces).toContain(A);
    expect(workspaces).toContain(B);
    expect(workspaces).toContain(siteAdmin.workspaceId);

    const onlyB = await read({ workspaceId: B }, siteAdmin);
    expect(onlyB.events).toMatchObject([{ workspaceId: B, action: 'user.signed_up', actorId: ownerB.id }]);
    const onlyA = await read({ workspaceId: A }, siteAdmin);
    expect(onlyA).toEqual(await read({ workspaceId: A }, ownerA));
  });

  it('shows events without a workspace to site admins only', async () => {
    const id = randomUUID();
    await insertEvents([{ id, workspaceId: null, action: 'system.maintenance', createdAt: new Date() }]);
    expect((await read({ action: 'system.maintenance' }, siteAdmin)).events.map((e) => e.id)).toContain(id);
    expect((await read({ workspaceId: A, action: 'system.maintenance' }, ownerA)).events).toEqual([]);
  });
});

describe('filters', () => {
  let owner: TestUser, member: TestUser, W: string;
  beforeAll(async () => {
    const n = suffix();
    owner = await t.signup(`filters-owner-${n}@example.com`);
    member = await t.signup(`filters-member-${n}@example.com`);
    await t.addMember(owner, member, 'member');
    W = owner.workspaceId;
    // Real events through the public surface...
    expect((await t.call('generateCheckoutSession', { workspaceId: W, planId: 'pro' }, owner)).status).toBe(200);
    expect((await t.call('generateCheckoutSession', { workspaceId: W, planId: 'credits10' }, member)).status).toBe(200);
    expect((await t.webhook(paymentSucceeded(W, { moneyId: `in_${randomUUID()}`, planId: 'credits10' }))).status).toBe(200);
    expect((await t.webhook(paymentFailed(W, { moneyId: `in_${randomUUID()}` }))).status).toBe(200);
    expect((await t.call('spendCredits', { workspaceId: W, amount: 2, reason: 'filters' }, member)).status).toBe(200);
    // ...and neighbours a prefix match must not catch.
    await insertEvents([
      { workspaceId: W, action: 'payment', createdAt: new Date() },
      { workspaceId: W, action: 'payments.exported', createdAt: new Date() },
      { workspaceId: W, action: 'paymentXsucceeded', createdAt: new Date() },
    ]);
  });

  const actions = (page: Page) => page.events.map((e) => e.action).sort();

  it('matches an exact action, and only that action', async () => {
    const page = await read({ workspaceId: W, action: 'checkout.created' }, owner);
    expect(page.events).toHaveLength(2);
    expect(page.events.every((e) => e.action === 'checkout.created')).toBe(true);
    expect(actions(await read({ workspaceId: W, action: 'payment' }, owner))).toEqual(['payment']);
    expect((await read({ workspaceId: W, action: 'checkout' }, owner)).events).toEqual([]);
  });

  it('matches an action family with a trailing .*', async () => {
    expect(actions(await read({ workspaceId: W, action: 'payment.*' }, owner))).toEqual(['payment.failed', 'payment.succeeded']);
    expect(actions(await read({ workspaceId: W, action: 'credits.*' }, owner))).toEqual(['credits.spent']);
  });

  it('matches a deeper family prefix', async () => {
    await insertEvents([{ workspaceId: W, action: 'payment.refund.partial', createdAt: new Date() }]);
    expect(actions(await read({ workspaceId: W, action: 'payment.refund.*' }, owner))).toEqual(['payment.refund.partial']);
    expect(actions(await read({ workspaceId: W, action: 'payment.fail.*' }, owner))).toEqual([]);
  });

  // The family prefix goes to Prisma's startsWith, i.e. SQL LIKE, which does not escape % and _.
  it('treats % in an action family literally', async () => {
    expect(actions(await read({ workspaceId: W, action: 'pay%.*' }, owner))).toEqual([]);
  });

  it('treats _ in an action family literally', async () => {
    expect(actions(await read({ workspaceId: W, action: 'paymen_.*' }, owner))).toEqual([]);
  });

  it('treats wildcards in an exact action literally', async () => {
    expect(actions(await read({ workspaceId: W, action: 'payment_*' }, owner))).toEqual([]);
    expect(actions(await read({ workspaceId: W, action: 'payment%' }, owner))).toEqual([]);
  });

  it('filters by actor', async () => {
    const byMember = await read({ workspaceId: W, actorId: member.id }, owner);
    expect(byMember.events.every((e) => e.actorId === member.id)).toBe(true);
    expect(actions(byMember)).toEqual(['checkout.created', 'credits.spent']);

    const byProcessor = await read({ workspaceId: W, actorId: 'fake' }, owner);
    expect(actions(byProcessor)).toEqual(['payment.failed', 'payment.succeeded']);
    expect(byProcessor.events.every((e) => e.actorType === 'processor')).toBe(true);

    const combined = await read({ workspaceId: W, actorId: owner.id, action: 'checkout.created' }, owner);
    expect(combined.events).toMatchObject([{ actorId: owner.id, action: 'checkout.created' }]);
  });

  it('lets a site admin filter across workspaces', async () => {
    const page = await read({ actorId: member.id, limit: 100 }, siteAdmin);
    // The member's own sign-up lives in their personal workspace; the rest in W.
    expect(actions(page)).toEqual(['checkout.created', 'credits.spent', 'user.signed_up']);
    expect(new Set(page.events.map((e) => e.workspaceId))).toEqual(new Set([W, member.workspaceId]));
  });

  describe('time range', () => {
    let owner: TestUser, T: string;
    const base = new Date('2025-06-01T00:00:00.000Z');
    const at = (ms: number) => new Date(base.getTime() + ms);
    const hour = 3_600_000;
    beforeAll(async () => {
      ({ owner, workspaceId: T } = await emptyWorkspace());
      await insertEvents([
        ...Array.from({ length: 10 }, (_, i) => ({ id: `range-${i}`, workspaceId: T, createdAt: at(i * hour) })),
        { id: 'range-ms-0', workspaceId: T, createdAt: at(5 * hour + 1) },
        { id: 'range-ms-1', workspaceId: T, createdAt: at(5 * hour + 2) },
      ]);
    });
    const ids = (page: Page) => page.events.map((e) => e.id);

    it('includes both ends of [from, to]', async () => {
      const page = await read({ workspaceId: T, from: at(2 * hour).toISOString(), to: at(5 * hour).toISOString() }, owner);
      expect(ids(page)).toEqual(['range-5', 'range-4', 'range-3', 'range-2']);
    });

    it('takes from alone and to alone', async () => {
      expect(ids(await read({ workspaceId: T, from: at(8 * hour).toISOString() }, owner))).toEqual(['range-9', 'range-8']);
      expect(ids(await read({ workspaceId: T, to: at(1 * hour).toISOString() }, owner))).toEqual(['range-1', 'range-0']);
    });

    it('is precise to the millisecond', async () => {
      const one = at(5 * hour + 1).toISOString();
      expect(ids(await read({ workspaceId: T, from: one, to: one }, owner))).toEqual(['range-ms-0']);
      expect(ids(await read({ workspaceId: T, from: at(5 * hour + 1).toISOString(), to: at(6 * hour - 1).toISOString() }, owner))).toEqual([
        'range-ms-1',
        'range-ms-0',
      ]);
      // A range in another zone's notation names the same instant.
      expect(ids(await read({ workspaceId: T, from: '2025-06-01T07:00:00.000+02:00', to: '2025-06-01T07:00:00.000+02:00' }, owner))).toEqual([
        'range-5',
      ]);
    });

    it('answers 400 naming "from" when from is after to, and for a non-date', async () => {
      const reversed = await t.call('getAuditEvents', { workspaceId: T, from: at(5 * hour).toISOString(), to: at(2 * hour).toISOString() }, owner);
      expect(reversed.status).toBe(400);
      expect(reversed.body.message).toContain('from:');
      const garbage = await t.call('getAuditEvents', { workspaceId: T, from: 'last tuesday' }, owner);
      expect(garbage.status).toBe(400);
      expect(garbage.body.message).toContain('from:');
    });
  });
});

describe('keyset paging', () => {
  let owner: TestUser, P: string;
  const base = new Date('2026-02-01T12:00:00.000Z');
  // 23 events, three per timestamp, so page boundaries fall between events of the same time.
  const pageId = (i: number) => `page-${String(i).padStart(2, '0')}`;
  const newestFirst = Array.from({ length: 23 }, (_, i) => pageId(22 - i));
  beforeAll(async () => {
    ({ owner, workspaceId: P } = await emptyWorkspace());
    await insertEvents(
      Array.from({ length: 23 }, (_, i) => ({ id: pageId(i), workspaceId: P, createdAt: new Date(base.getTime() + Math.floor(i / 3) * 1000) })),
    );
  });

  async function readAll(first: Page, limit: number) {
    const pages = [first];
    while (pages.at(-1)!.nextCursor) {
      pages.push(await read({ workspaceId: P, limit, cursor: pages.at(-1)!.nextCursor }, owner));
      expect(pages.length).toBeLessThan(20);
    }
    return pages;
  }

  it('pages 23 events by 5: 5,5,5,5,3, newest first, none twice, none missing', async () => {
    const pages = await readAll(await read({ workspaceId: P, limit: 5 }, owner), 5);
    expect(pages.map((p) => p.events.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.slice(0, -1).every((p) => typeof p.nextCursor === 'string')).toBe(true);
    expect(pages.at(-1)!.nextCursor).toBeNull();
    const ids = pages.flatMap((p) => p.events.map((e) => e.id));
    expect(ids).toEqual(newestFirst);
    expect(new Set(ids).size).toBe(23);
    const times = pages.flatMap((p) => p.events.map((e) => Date.parse(e.createdAt)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers null nextCursor when the events fill the last page exactly', async () => {
    const pages = await readAll(await read({ workspaceId: P, limit: 23 }, owner), 23);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.nextCursor).toBeNull();
    expect(pages[0]!.events.map((e) => e.id)).toEqual(newestFirst);
  });

  it('keeps later pages stable when new events arrive after the first page was read', async () => {
    const { owner: o, workspaceId: Q } = await emptyWorkspace();
    await insertEvents(Array.from({ length: 23 }, (_, i) => ({ id: `q-${pageId(i)}`, workspaceId: Q, createdAt: new Date(base.getTime() + Math.floor(i / 3) * 1000) })));
    const first = await read({ workspaceId: Q, limit: 5 }, o);
    expect(first.events.map((e) => e.id)).toEqual(newestFirst.slice(0, 5).map((id) => `q-${id}`));

    // Newer events, and one at the very time of the cursor's event that sorts before it.
    const cursorEvent = first.events.at(-1)!;
    await insertEvents([
      { id: 'q-new-1', workspaceId: Q, createdAt: new Date() },
      { id: 'q-new-2', workspaceId: Q, createdAt: new Date(Date.now() + 1000) },
      { id: 'q-zz-same-time', workspaceId: Q, createdAt: new Date(cursorEvent.createdAt) },
    ]);
    const fresh = await read({ workspaceId: Q, limit: 5 }, o);
    expect(fresh.events.slice(0, 2).map((e) => e.id)).toEqual(['q-new-2', 'q-new-1']);

    const pages = [first];
    while (pages.at(-1)!.nextCursor) pages.push(await read({ workspaceId: Q, limit: 5, cursor: pages.at(-1)!.nextCursor }, o));
    expect(pages.map((p) => p.events.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flatMap((p) => p.events.map((e) => e.id))).toEqual(newestFirst.map((id) => `q-${id}`));
  });

  it('pages a filtered result with the filter kept', async () => {
    const { owner: o, workspaceId: R } = await emptyWorkspace();
    await insertEvents(
      Array.from({ length: 12 }, (_, i) => ({
        id: `r-${pageId(i)}`,
        workspaceId: R,
        action: i % 2 === 0 ? 'payment.succeeded' : 'credits.spent',
        createdAt: new Date(base.getTime() + i * 1000),
      })),
    );
    const pages = await (async () => {
      const out = [await read({ workspaceId: R, action: 'payment.*', limit: 4 }, o)];
      while (out.at(-1)!.nextCursor) out.push(await read({ workspaceId: R, action: 'payment.*', limit: 4, cursor: out.at(-1)!.nextCursor }, o));
      return out;
    })();
    expect(pages.map((p) => p.events.length)).toEqual([4, 2]);
    expect(pages.flatMap((p) => p.events.map((e) => e.id))).toEqual([10, 8, 6, 4, 2, 0].map((i) => `r-${pageId(i)}`));
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a time without an id', Buffer.from('2026-02-01T12:00:00.000Z').toString('base64url')],
    ['an id without a time', Buffer.from('not a time|page-01').toString('base64url')],
  ])('answers 400 for an invalid cursor (%s)', async (_label, cursor) => {
    const res = await t.call('getAuditEvents', { workspaceId: P, limit: 5, cursor }, owner);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('cursor');
  });

  it.each([0, 101, -1, 2.5, '5'])('answers 400 naming limit for limit %j', async (limit) => {
    const res = await t.call('getAuditEvents', { workspaceId: P, limit }, owner);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('limit:');
  });

  it('accepts the bounds 1 and 100, and defaults to 50', async () => {
    expect((await read({ workspaceId: P, limit: 1 }, owner)).events.map((e) => e.id)).toEqual([pageId(22)]);
    expect((await read({ workspaceId: P, limit: 100 }, owner)).events).toHaveLength(23);
    const { workspaceId: big } = await emptyWorkspace();
    await insertEvents(Array.from({ length: 101 }, (_, i) => ({ workspaceId: big, createdAt: new Date(base.getTime() + i) })));
    const hundred = await read({ workspaceId: big, limit: 100 }, siteAdmin);
    expect(hundred.events).toHaveLength(100);
    expect(hundred.nextCursor).not.toBeNull();
    const rest = await read({ workspaceId: big, limit: 100, cursor: hundred.nextCursor }, siteAdmin);
    expect(rest.events).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
    const byDefault = await read({ workspaceId: big }, siteAdmin);
    expect(byDefault.events).toHaveLength(50);
    expect(byDefault.events).toEqual(hundred.events.slice(0, 50));
  });
});
