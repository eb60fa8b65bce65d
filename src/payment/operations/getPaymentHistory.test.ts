import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import { paymentFailed, paymentRefunded, paymentSucceeded } from '../../test/fakeEvents.js';
import { startTestServer, type TestServer, type TestUser } from '../../test/testServer.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});

interface PaymentView {
  id: string;
  moneyId: string;
  status: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  planId: string | null;
  planName: string | null;
  kind: string;
  occurredAt: string;
}

const suffix = () => randomUUID().slice(0, 8);
const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

async function history(args: Record<string, unknown>, user: TestUser): Promise<{ payments: PaymentView[]; nextCursor: string | null }> {
  const res = await t.call('getPaymentHistory', args, user);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function pay(workspaceId: string, o: { moneyId: string; planId?: string | null; amount?: number; currency?: string; paidAt?: Date }) {
  const res = await t.webhook(paymentSucceeded(workspaceId, { planId: 'pro', amount: 2900, ...o }));
  expect(res.status).toBe(200);
}

describe('who may read', () => {
  it('owners and workspace admins; members 403, other workspaces 404, anonymous 401', async () => {
    const n = suffix();
    const { owner, admin, member, outsider } = await t.team();
    await pay(owner.workspaceId, { moneyId: `in_${n}` });
    const args = { workspaceId: owner.workspaceId };
    expect((await history(args, owner)).payments).toHaveLength(1);
    expect(await history(args, admin)).toEqual(await history(args, owner));
    expect((await t.call('getPaymentHistory', args, member)).status).toBe(403);
    expect((await t.call('getPaymentHistory', args, outsider)).status).toBe(404);
    expect((await t.call('getPaymentHistory', args)).status).toBe(401);
    // The outsider's own workspace has its own (empty) history.
    expect(await history({ workspaceId: outsider.workspaceId }, outsider)).toEqual({ payments: [], nextCursor: null });
  });
});

describe('paging', () => {
  it('newest first by (occurredAt, id): every payment once across pages, ties included, unmoved by a newer payment', async () => {
    const owner = await t.signup(`pager-${suffix()}@example.com`);
    const other = await t.signup(`other-${suffix()}@example.com`);
    const n = suffix();
    // m3, m4, m5 share one time: only the id orders them, and the cursor must not skip or repeat one.
    const times: Record<string, number> = { m1: 1, m2: 2, m3: 3, m4: 3, m5: 3, m6: 4, m7: 5 };
    for (const [m, minute] of Object.entries(times)) await pay(owner.workspaceId, { moneyId: `${m}_${n}`, paidAt: at(minute) });
    await pay(other.workspaceId, { moneyId: `foreign_${n}`, paidAt: at(4) });

    const seen: PaymentView[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await history({ workspaceId: owner.workspaceId, limit: 2, ...(cursor && { cursor }) }, owner);
      seen.push(...page.payments);
      cursor = page.nextCursor ?? undefined;
      pages += 1;
      // A payment newer than everything arrives between pages: it belongs on page one, not later.
      if (pages === 1) await pay(owner.workspaceId, { moneyId: `m8_${n}`, paidAt: at(6) });
    } while (cursor);

    expect(pages).toBe(4);
    expect(seen.map((p) => p.moneyId.split('_')[0])).toEqual(['m7', 'm6', ...seen.slice(2, 5).map((p) => p.moneyId.split('_')[0]), 'm2', 'm1']);
    expect(seen.slice(2, 5).map((p) => p.moneyId.split('_')[0]).sort()).toEqual(['m3', 'm4', 'm5']);
    // Within the tie, by id, descending.
    const tied = seen.slice(2, 5).map((p) => p.id);
    expect(tied).toEqual([...tied].sort().reverse());
    expect(new Set(seen.map((p) => p.id)).size).toBe(7);
    expect(seen.map((p) => p.occurredAt)).toEqual([5, 4, 3, 3, 3, 2, 1].map((m) => at(m).toISOString()));

    const fresh = await history({ workspaceId: owner.workspaceId, limit: 1 }, owner);
    expect(fresh.payments[0]!.moneyId).toBe(`m8_${n}`);
  });

  it('refuses a cursor it did not make and a limit out of range (400 naming the field)', async () => {
    const owner = await t.signup(`bad-${suffix()}@example.com`);
    for (const [args, field] of [
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 101 }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
    ] as const) {
      const res = await t.call('getPaymentHistory', { workspaceId: owner.workspaceId, ...args }, owner);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(`${field}:`);
    }
  });
});

describe('what each payment says', () => {
  it('kind and plan name from the plan, status and cumulative refunds, failures, currencies', async () => {
    const owner = await t.signup(`kinds-${suffix()}@example.com`);
    const w = owner.workspaceId;
    const n = suffix();
    await pay(w, { moneyId: `sub_${n}`, planId: 'pro', amount: 2900, paidAt: at(1) });
    await pay(w, { moneyId: `pack_${n}`, planId: 'credits10', amount: 990, paidAt: at(2) });
    await pay(w, { moneyId: `misc_${n}`, planId: null, amount: 500, paidAt: at(3) });
    await pay(w, { moneyId: `eur_${n}`, planId: 'hobby', amount: 850, currency: 'eur', paidAt: at(4) });
    expect((await t.webhook(paymentFailed(w, { moneyId: `fail_${n}`, amount: 2900, failedAt: at(5) }))).status).toBe(200);

    // A partial refund, then a full one of the pack; a stale, smaller refund event changes nothing.
    await t.webhook(paymentRefunded(w, { moneyId: `sub_${n}`, amountRefunded: 1000 }));
    await t.webhook(paymentRefunded(w, { moneyId: `pack_${n}`, amountRefunded: 990 }));
    await t.webhook(paymentRefunded(w, { moneyId: `sub_${n}`, amountRefunded: 400 }));

    const { payments, nextCursor } = await history({ workspaceId: w }, owner);
    expect(nextCursor).toBeNull();
    const strip = ({ id: _id, ...rest }: PaymentView) => rest;
    expect(payments.map(strip)).toEqual([
      { moneyId: `fail_${n}`, status: 'failed', amount: 2900, amountRefunded: 0, currency: 'usd', planId: 'pro', planName: 'Pro', kind: 'subscription', occurredAt: at(5).toISOString() },
      { moneyId: `eur_${n}`, status: 'succeeded', amount: 850, amountRefunded: 0, currency: 'eur', planId: 'hobby', planName: 'Hobby', kind: 'subscription', occurredAt: at(4).toISOString() },
      { moneyId: `misc_${n}`, status: 'succeeded', amount: 500, amountRefunded: 0, currency: 'usd', planId: null, planName: null, kind: 'other', occurredAt: at(3).toISOString() },
      { moneyId: `pack_${n}`, status: 'refunded', amount: 990, amountRefunded: 990, currency: 'usd', planId: 'credits10', planName: '10 credits', kind: 'credits', occurredAt: at(2).toISOString() },
      { moneyId: `sub_${n}`, status: 'partially_refunded', amount: 2900, amountRefunded: 1000, currency: 'usd', planId: 'pro', planName: 'Pro', kind: 'subscription', occurredAt: at(1).toISOString() },
    ]);
    // The ids are the Payment rows'.
    const rows = await db().payment.findMany({ where: { workspaceId: w } });
    expect(new Set(payments.map((p) => p.id))).toEqual(new Set(rows.map((r) => r.id)));
  });

  it('a payment for a plan the catalog no longer has is listed as other, not an error', async () => {
    const owner = await t.signup(`retired-${suffix()}@example.com`);
    await db().payment.create({
      data: { workspaceId: owner.workspaceId, processor: 'fake', moneyId: `old_${suffix()}`, status: 'succeeded', amount: 4900, currency: 'usd', planId: 'legacy_gold', occurredAt: at(1) },
    });
    const { payments } = await history({ workspaceId: owner.workspaceId }, owner);
    expect(payments).toMatchObject([{ planId: 'legacy_gold', planName: null, kind: 'other' }]);
  });
});
