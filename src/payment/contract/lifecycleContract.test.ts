import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../../db/client.js';
import type { TestServer, TestUser } from '../../test/testServer.js';
import { contractProcessors, useContractApp } from './contractProcessors.js';
import { contractSteps } from './contractSteps.js';
import { ProcessorError } from '../paymentProcessor.js';
import type { ProcessorHarness } from './processorHarness.js';
import { setBilling } from '../../test/billingRecords.js';

// The subscription lifecycle an owner drives from the app (cancel, resume; plan changes are in
// planChangeContract.test.ts), refunds and the billing reads (payment history, stats), for every
// processor with a contract harness: through the app's HTTP surface, against that processor's local
// emulator. The operations only ask the processor; every state asserted here arrived by webhook through
// the engine.
describe.each(contractProcessors)('subscription lifecycle contract: $name', ({ create }) => {
  let t: TestServer;
  let h: ProcessorHarness;
  let siteAdmin: TestUser;

  useContractApp(create, (app) => ({ t, h } = app));
  beforeAll(async () => {
    siteAdmin = await t.signup('admin@example.com');
  });

  const { newOwner, billing, emailsTo, auditOf, buy, call } = contractSteps(() => ({ t, h }));

  describe('cancel and resume', () => {
    it('cancel at period end → cancelAtPeriodEnd with access kept; resume → renewing again; each audited once, each repeat a 409', async () => {
      const owner = await newOwner();
      await buy(owner, 'pro');
      const { subscriptionId } = await t.workspace(owner.workspaceId);

      const cancel = await call('cancelSubscription', { workspaceId: owner.workspaceId }, owner);
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
      expect(cancel.body).toEqual({ requested: true });
      expect(await billing(owner)).toMatchObject({ plan: 'pro', cancelAtPeriodEnd: true, hasActivePlan: true });
      expect(await auditOf(owner.workspaceId, 'subscription.cancel_requested')).toMatchObject([
        { actorType: 'user', actorId: owner.id, target: subscriptionId, metadata: { atPeriodEnd: true } },
      ]);
      expect(await emailsTo(owner.email)).toEqual(['payment_succeeded', 'subscription_cancelled']);

      // Calling cancel twice changes nothing twice: refused before the processor, no audit, no second email.
      const twice = await call('cancelSubscription', { workspaceId: owner.workspaceId, atPeriodEnd: true }, owner);
      expect(twice.status).toBe(409);
      expect(twice.body.message).toMatch(/already cancelled/);
      expect(await auditOf(owner.workspaceId, 'subscription.cancel_requested')).toHaveLength(1);
      expect(await emailsTo(owner.email)).toEqual(['payment_succeeded', 'subscription_cancelled']);

      const resume = await call('resumeSubscription', { workspaceId: owner.workspaceId }, owner);
      expect(resume.status, JSON.stringify(resume.body)).toBe(200);
      expect(resume.body).toEqual({ requested: true });
      expect(await billing(owner)).toMatchObject({ plan: 'pro', subscriptionStatus: 'active', cancelAtPeriodEnd: false, hasActivePlan: true });
      expect(await auditOf(owner.workspaceId, 'subscription.resume_requested')).toMatchObject([
        { actorType: 'user', actorId: owner.id, target: subscriptionId },
      ]);

      const nothingToResume = await call('resumeSubscription', { workspaceId: owner.workspaceId }, owner);
      expect(nothingToResume.status).toBe(409);
      expect(nothingToResume.body.message).toMatch(/Nothing to resume/);
      expect(await auditOf(owner.workspaceId, 'subscription.resume_requested')).toHaveLength(1);
      expect(await emailsTo(owner.email)).toEqual(['payment_succeeded', 'subscription_cancelled', 'subscription_resumed']);
    });

    it('two cancels before the first webhook lands: the processor changes once, the owners get one email', async () => {
      const owner = await newOwner();
      await buy(owner, 'hobby');
      h.pauseDeliveries();
      const first = await t.call('cancelSubscription', { workspaceId: owner.workspaceId }, owner);
      const second = await t.call('cancelSubscription', { workspaceId: owner.workspaceId }, owner);
      await h.resumeDeliveries('shuffle');
      await h.idle();
      expect([first.status, second.status]).toEqual([200, 200]);
      expect(await billing(owner)).toMatchObject({ cancelAtPeriodEnd: true, hasActivePlan: true });
      expect((await emailsTo(owner.email)).filter((e) => e === 'subscription_cancelled')).toHaveLength(1);
    });

    it('cancel now ends the subscription with one email, or the processor says it cannot (501) and nothing changes', async () => {
      const owner = await newOwner();
      await buy(owner, 'pro');
      const before = await t.workspace(owner.workspaceId);
      const res = await call('cancelSubscription', { workspaceId: owner.workspaceId, atPeriodEnd: false }, owner);
      if (res.status === 501) {
        expect(res.body).toMatchObject({ processorError: 'unsupported' });
        expect(res.body.message).toMatch(new RegExp(`^${h.processor.id}: Could not cancel`));
        expect(await t.workspace(owner.workspaceId)).toEqual(before);
        expect(await auditOf(owner.workspaceId, 'subscription.cancel_requested')).toEqual([]);
        return;
      }
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(await billing(owner)).toMatchObject({ subscriptionStatus: 'canceled', hasActivePlan: false });
      expect(await auditOf(owner.workspaceId, 'subscription.cancel_requested')).toMatchObject([{ metadata: { atPeriodEnd: false } }]);
      expect((await emailsTo(owner.email)).filter((e) => e === 'subscription_ended')).toHaveLength(1);
      const again = await call('cancelSubscription', { workspaceId: owner.workspaceId, atPeriodEnd: false }, owner);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/no active subscription \(its last one is canceled\)/);
    });

    it('a subscription the processor does not know is its error (4xx with the processor named), not a crash, and not audited', async () => {
      const owner = await newOwner();
      await buy(owner, 'hobby');
      await setBilling(owner.workspaceId, { subscriptionId: '999999999' });
      for (const [operation, args] of [
        ['changePlan', { planId: 'pro' }],
        ['cancelSubscription', {}],
      ] as const) {
        const res = await call(operation, { workspaceId: owner.workspaceId, ...args }, owner);
        expect(res.status, `${operation}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body).toMatchObject({ processorError: 'invalid_request' });
        expect(res.body.message).toMatch(new RegExp(`^${h.processor.id}: Could not`));
      }
      await expect(h.processor.resumeSubscription!('999999999')).rejects.toBeInstanceOf(ProcessorError);
      expect(await db().auditEvent.count({ where: { workspaceId: owner.workspaceId, action: { endsWith: '_requested' } } })).toBe(0);
    });
  });

  describe('refundPayment (site admins)', () => {
    const paymentOf = async (workspaceId: string) => db().payment.findFirstOrThrow({ where: { workspaceId }, orderBy: { occurredAt: 'desc' } });

    it('partial then the rest of a credit pack: credits back in proportion, by webhook; audited; a third call is a 409', async () => {
      const owner = await newOwner();
      await buy(owner, 'credits10');
      const payment = await paymentOf(owner.workspaceId);
      const args = { workspaceId: owner.workspaceId, paymentId: payment.id };

      // Roles first: nobody but a site admin, and nothing asked of the processor.
      expect((await call('refundPayment', args)).status).toBe(401);
      const asOwner = await call('refundPayment', args, owner);
      expect(asOwner.status).toBe(403);
      expect(asOwner.body.message).toMatch(/Only site admins/);
      for (const amount of [0, -5, 1.5]) expect((await call('refundPayment', { ...args, amount }, siteAdmin)).status).toBe(400);
      const tooMuch = await call('refundPayment', { ...args, amount: payment.amount + 1 }, siteAdmin);
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body.message).toMatch(/exceeds what remains/);
      expect(await auditOf(owner.workspaceId, 'payment.refund_requested')).toEqual([]);
      expect(await paymentOf(owner.workspaceId)).toMatchObject({ status: 'succeeded', amountRefunded: 0 });

      const partial = await call('refundPayment', { ...args, amount: 300 }, siteAdmin);
      expect(partial.status, JSON.stringify(partial.body)).toBe(200);
      expect(partial.body).toEqual({ requested: true, amount: 300, currency: payment.currency });
      expect(await paymentOf(owner.workspaceId)).toMatchObject({ status: 'partially_refunded', amountRefunded: 300 });
      const afterPartial = 10 - Math.floor((10 * 300) / payment.amount);
      expect((await billing(owner)).credits).toBe(afterPartial);

      const rest = await call('refundPayment', args, siteAdmin);
      expect(rest.status, JSON.stringify(rest.body)).toBe(200);
      expect(rest.body.amount).toBe(payment.amount - 300);
      expect(await paymentOf(owner.workspaceId)).toMatchObject({ status: 'refunded', amountRefunded: payment.amount });
      expect((await billing(owner)).credits).toBe(0);

      const again = await call('refundPayment', args, siteAdmin);
      expect(again.status).toBe(409);
      expect(again.body.message).toMatch(/already fully refunded/);
      expect(await auditOf(owner.workspaceId, 'payment.refund_requested')).toMatchObject([
        { actorType: 'user', actorId: siteAdmin.id, target: payment.moneyId, metadata: { amount: 300, remainingBefore: payment.amount } },
        { actorType: 'user', actorId: siteAdmin.id, target: payment.moneyId, metadata: { amount: payment.amount - 300, remainingBefore: payment.amount - 300 } },
      ]);
      expect((await auditOf(owner.workspaceId, 'payment.refunded')).map((e) => e.actorType)).toEqual(['processor', 'processor']);
      // One email per refund step, each saying what came back.
      const refundEmails = await db().emailOutbox.findMany({ where: { recipient: owner.email, template: 'refund_issued' }, orderBy: { createdAt: 'asc' } });
      expect(refundEmails.map((e) => e.data)).toMatchObject([{ amount: 300, totalRefunded: 300 }, { amount: payment.amount - 300, totalRefunded: payment.amount }]);
    });

    it('credits already spent stay spent: a full refund takes back what is left, never below zero, once', async () => {
      const owner = await newOwner();
      await buy(owner, 'credits10');
      expect((await call('spendCredits', { workspaceId: owner.workspaceId, amount: 7, reason: 'export' }, owner)).status).toBe(200);
      const payment = await paymentOf(owner.workspaceId);
      const args = { workspaceId: owner.workspaceId, paymentId: payment.id };
      expect((await call('refundPayment', args, siteAdmin)).status).toBe(200);
      expect((await call('refundPayment', args, siteAdmin)).status).toBe(409);
      expect((await billing(owner)).credits).toBe(0);
      expect(await auditOf(owner.workspaceId, 'payment.refunded')).toMatchObject([{ metadata: { creditsRevoked: 3, creditsAlreadySpent: 7, fullyRefunded: true } }]);
      const ledger = await db().creditLedger.findMany({ where: { workspaceId: owner.workspaceId }, orderBy: { createdAt: 'asc' } });
      expect(ledger.map((row) => row.amount)).toEqual([10, -7, -3]);
      expect((await emailsTo(owner.email)).filter((e) => e === 'refund_issued')).toHaveLength(1);
    });

    it('refunds a subscription payment (the invoice) in full; the subscription itself is untouched', async () => {
      const owner = await newOwner();
      await buy(owner, 'pro');
      const payment = await paymentOf(owner.workspaceId);
      const res = await call('refundPayment', { workspaceId: owner.workspaceId, paymentId: payment.id }, siteAdmin);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.amount).toBe(payment.amount);
      expect(await paymentOf(owner.workspaceId)).toMatchObject({ status: 'refunded', amountRefunded: payment.amount });
      expect(await billing(owner)).toMatchObject({ plan: 'pro', hasActivePlan: true });
    });

    it('two full refunds before the first webhook lands: the money is refunded once', async () => {
      const owner = await newOwner();
      await buy(owner, 'credits10');
      const payment = await paymentOf(owner.workspaceId);
      const args = { workspaceId: owner.workspaceId, paymentId: payment.id };
      h.pauseDeliveries();
      const first = await t.call('refundPayment', args, siteAdmin);
      const second = await t.call('refundPayment', args, siteAdmin);
      await h.resumeDeliveries('shuffle');
      await h.idle();
      // Stripe: the same idempotency key, the same refund (200 twice). Lemon Squeezy: it refuses the second (400).
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect([200, 400]).toContain(second.status);
      expect(await paymentOf(owner.workspaceId)).toMatchObject({ status: 'refunded', amountRefunded: payment.amount });
      expect((await billing(owner)).credits).toBe(0);
      expect((await call('refundPayment', args, siteAdmin)).status).toBe(409);
    });

    it('a payment of another workspace is a 404', async () => {
      const owner = await newOwner();
      await buy(owner, 'credits10');
      const other = await newOwner();
      const payment = await paymentOf(owner.workspaceId);
      expect((await call('refundPayment', { workspaceId: other.workspaceId, paymentId: payment.id }, siteAdmin)).status).toBe(404);
    });
  });

  describe('who may do what', () => {
    type Caller = 'anonymous' | 'outsider' | 'member' | 'admin' | 'owner';
    const callers: Caller[] = ['anonymous', 'outsider', 'member', 'admin', 'owner'];
    let team: Record<Exclude<Caller, 'anonymous'>, TestUser>;
    let workspaceId: string;

    beforeAll(async () => {
      const owner = await newOwner();
      const [outsider, member, admin] = await Promise.all([newOwner(), newOwner(), newOwner()]);
      await t.addMember(owner, member, 'member');
      await t.addMember(owner, admin, 'admin');
      team = { owner, outsider, member, admin };
      workspaceId = owner.workspaceId;
      await buy(owner, 'pro');
    });

    const expected = (caller: Caller, allowed: Caller[]) =>
      caller === 'anonymous' ? 401 : caller === 'outsider' ? 404 : allowed.includes(caller) ? 200 : 403;

    // In this order, so each owner call finds the state it needs: pro → hobby (at period end), cancel, then resume.
    const rows: { operation: string; args: Record<string, unknown>; allowed: Caller[] }[] = [
      { operation: 'changePlan', args: { planId: 'hobby' }, allowed: ['owner'] },
      { operation: 'cancelSubscription', args: {}, allowed: ['owner'] },
      { operation: 'resumeSubscription', args: {}, allowed: ['owner'] },
      { operation: 'getPaymentHistory', args: {}, allowed: ['owner', 'admin'] },
    ];

    it.each(rows)('$operation: anonymous 401, another workspace 404, too small a role 403, allowed roles 200', async ({ operation, args, allowed }) => {
      for (const caller of callers) {
        const audits = await db().auditEvent.count({ where: { workspaceId } });
        const res = await call(operation, { workspaceId, ...args }, caller === 'anonymous' ? undefined : team[caller]);
        expect(res.status, `${operation} as ${caller}: ${JSON.stringify(res.body)}`).toBe(expected(caller, allowed));
        if (res.status === 403) expect(res.body.message).toContain(`you are ${caller}`);
        if (res.status !== 200) expect(await db().auditEvent.count({ where: { workspaceId } })).toBe(audits);
      }
      expect(await db().auditEvent.count({ where: { workspaceId, action: { endsWith: '_requested' }, actorId: { not: team.owner.id } } })).toBe(0);
    });

    it('the history lists the workspace’s payments to its owner and admin alike', async () => {
      const asOwner = await t.call('getPaymentHistory', { workspaceId }, team.owner);
      const asAdmin = await t.call('getPaymentHistory', { workspaceId }, team.admin);
      expect(asAdmin.body).toEqual(asOwner.body);
      expect(asOwner.body.payments).toMatchObject([{ status: 'succeeded', amount: 2900, currency: 'usd', planId: 'pro', kind: 'subscription' }]);
    });

    it('getBillingStats: anonymous 401, any workspace role 403, site admins 200', async () => {
      expect((await t.call('getBillingStats', {})).status).toBe(401);
      for (const user of Object.values(team)) {
        const res = await t.call('getBillingStats', {}, user);
        expect(res.status).toBe(403);
        expect(res.body.message).toMatch(/site admins/);
      }
      const res = await t.call('getBillingStats', {}, siteAdmin);
      expect(res.status).toBe(200);
      expect(res.body.payingWorkspaces).toBeGreaterThanOrEqual(1);
      expect(res.body.mrr.byCurrency).toEqual([{ currency: 'usd', mrr: expect.any(Number) }]);
    });
  });
});
