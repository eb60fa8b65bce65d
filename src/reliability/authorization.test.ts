import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { db } from '../db/client.js';
import { startEmulatedStripe, type EmulatedStripeDriver } from '../payment/stripe/stripeEmulatorMode.js';
import { operations } from '../server/operations.js';
import type { TestServer, TestUser } from '../test/testServer.js';
import { startEmulatedApp, type FaultControls } from './processorFaults.js';
import { allWorkspaces } from '../test/billingRecords.js';

// Who may call what: every operation of src/server/operations.ts × every role, in one table. The app runs
// on the Stripe emulator, so an allowed call really reaches the processor (checkout, portal, plan change,
// cancel, resume, refund, reconcile). A refused call changes nothing here and calls the processor not at all.

const ROLES = ['anonymous', 'outsider', 'siteAdmin', 'member', 'admin', 'owner'] as const;
type Role = (typeof ROLES)[number];

/** Ids the arguments use: the workspace under test and what setup bought in it. */
interface Ids {
  workspaceId: string;
  creditsPaymentId: string;
  deliveryId: string;
  newcomerEmail: string;
}

interface Row {
  /** Rows of one operation differ by arguments (the rule depends on them). */
  args: (ids: Ids) => unknown;
  /** The status per role, in ROLES order: anonymous, outsider (another workspace's owner), site admin, member, admin, owner. */
  expect: readonly [number, number, number, number, number, number];
  variant?: string;
}

const OK = 200;
const ws = (ids: Ids) => ({ workspaceId: ids.workspaceId });
// Rows run in this order (cancel before resume).
// prettier-ignore
const MATRIX: Record<string, Row[]> = {
  //                                                                                                       anon outsider site  member admin owner
  generateCheckoutSession: [
    { variant: 'credit pack', args: (i) => ({ ...ws(i), planId: 'credits10' }),                  expect: [401, 404, 404, OK,  OK,  OK ] },
    { variant: 'subscription (one active)', args: (i) => ({ ...ws(i), planId: 'hobby' }),       expect: [401, 404, 404, 403, 403, 409] },
  ],
  getCustomerPortalUrl:    [{ args: ws,                                                          expect: [401, 404, 404, 403, 403, OK ] }],
  getWorkspaceBilling:     [{ args: ws,                                                          expect: [401, 404, 404, OK,  OK,  OK ] }],
  spendCredits:            [{ args: (i) => ({ ...ws(i), amount: 1, reason: 'authz' }),          expect: [401, 404, 404, OK,  OK,  OK ] }],
  getPaymentHistory:       [{ args: ws,                                                          expect: [401, 404, 404, 403, OK,  OK ] }],
  changePlan:              [{ args: (i) => ({ ...ws(i), planId: 'hobby' }),                     expect: [401, 404, 404, 403, 403, OK ] }],
  cancelSubscription:      [{ args: (i) => ({ ...ws(i), atPeriodEnd: true }),                   expect: [401, 404, 404, 403, 403, OK ] }],
  resumeSubscription:      [{ args: ws,                                                          expect: [401, 404, 404, 403, 403, OK ] }],
  getBillingStats:         [{ args: () => ({}),                                                  expect: [401, 403, OK,  403, 403, 403] }],
  refundPayment:           [{ args: (i) => ({ ...ws(i), paymentId: i.creditsPaymentId }),       expect: [401, 403, OK,  403, 403, 403] }],
  listFailedDeliveries:    [{ args: () => ({}),                                                  expect: [401, 403, OK,  403, 403, 403] }],
  replayDelivery:          [{ args: (i) => ({ deliveryId: i.deliveryId }),                       expect: [401, 403, OK,  403, 403, 403] }],
  replayFailedDeliveries:  [{ args: () => ({}),                                                  expect: [401, 403, OK,  403, 403, 403] }],
  reconcileWorkspace:      [{ args: ws,                                                          expect: [401, 403, OK,  403, 403, 403] }],
  reconcileWorkspaces:     [{ args: () => ({}),                                                  expect: [401, 403, OK,  403, 403, 403] }],
  getAuditEvents: [
    { variant: 'one workspace', args: ws,                                                        expect: [401, 404, OK,  403, OK,  OK ] },
    { variant: 'all workspaces', args: () => ({}),                                               expect: [401, 403, OK,  403, 403, 403] },
  ],
  getMyWorkspaces:         [{ args: () => ({}),                                                  expect: [401, OK,  OK,  OK,  OK,  OK ] }],
  createWorkspace:         [{ args: () => ({ name: 'Another' }),                                 expect: [401, OK,  OK,  OK,  OK,  OK ] }],
  addWorkspaceMember:      [{ args: (i) => ({ ...ws(i), email: i.newcomerEmail, role: 'member' }), expect: [401, 404, 404, 403, 403, OK ] }],
  getWorkspaceMembers:     [{ args: ws,                                                          expect: [401, 404, 404, OK,  OK,  OK ] }],
};

let t: TestServer;
let stripe: EmulatedStripeDriver;
let faults: FaultControls;
let users: Record<Exclude<Role, 'anonymous'>, TestUser>;
let ids: Ids;
const call = (role: Role, operation: string, args: unknown) => t.call(operation, args, role === 'anonymous' ? undefined : users[role]);

/** Buys a plan as `user` through the emulator's hosted checkout, its webhooks applied. */
async function buy(user: TestUser, planId: string) {
  const res = await t.call('generateCheckoutSession', { workspaceId: user.workspaceId, planId }, user);
  expect(res.status).toBe(200);
  await stripe.emulator.completeCheckout(res.body.sessionId);
  await stripe.emulator.idle();
}

beforeAll(async () => {
  ({ t, driver: stripe, faults } = await startEmulatedApp(startEmulatedStripe, { env: { ADMIN_EMAILS: 'authz-admin@example.com' } }));
  const team = await t.team();
  users = { outsider: team.outsider, siteAdmin: await t.signup('authz-admin@example.com'), member: team.member, admin: team.admin, owner: team.owner };
  await buy(users.owner, 'pro');
  await buy(users.owner, 'credits10');
  await buy(users.outsider, 'credits10'); // in their own workspace: audit events and payments the scoping test must not see
  const creditsPayment = await db().payment.findFirstOrThrow({ where: { workspaceId: team.workspaceId, planId: 'credits10' } });
  const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { status: 'processed' } });
  ids = { workspaceId: team.workspaceId, creditsPaymentId: creditsPayment.id, deliveryId: delivery.id, newcomerEmail: (await t.signup(`newcomer-${randomUUID().slice(0, 8)}@example.com`)).email };
});

/** Everything a call could change: our rows, and the requests the processor has seen. */
async function everything() {
  await stripe.emulator.idle();
  return {
    workspaces: await allWorkspaces(),
    memberships: await db().membership.findMany({ orderBy: [{ workspaceId: 'asc' }, { userId: 'asc' }] }),
    payments: await db().payment.findMany({ orderBy: { id: 'asc' } }),
    ledger: await db().creditLedger.count(),
    audit: await db().auditEvent.count(),
    outbox: await db().emailOutbox.count(),
    deliveries: await db().webhookDelivery.findMany({ select: { id: true, status: true, attempts: true }, orderBy: { id: 'asc' } }),
    processorRequests: await faults.requests(),
  };
}

describe('authorization matrix', () => {
  it('has a row for every operation the server exposes (add one for a new operation)', () => {
    expect(Object.keys(MATRIX).sort()).toEqual(Object.keys(operations).sort());
  });

  for (const [operation, rows] of Object.entries(MATRIX)) {
    for (const row of rows) {
      it(`${operation}${row.variant ? ` (${row.variant})` : ''}: ${ROLES.map((r, i) => `${r} ${row.expect[i]}`).join(', ')}`, async () => {
        for (const [i, role] of ROLES.entries()) {
          const before = await everything();
          const res = await call(role, operation, row.args(ids));
          expect(res.status, `${role}: ${JSON.stringify(res.body)}`).toBe(row.expect[i]);
          if (res.status >= 400) {
            expect(res.body.message, role).toMatch(/\w/);
            expect(await everything(), `${role}'s refused call changed something`).toEqual(before);
          }
        }
      });
    }
  }
});

describe('reads stay inside the reader\'s workspace', () => {
  it('audit events, payments, members and workspace lists of the workspace only; site admins see all', async () => {
    const other = users.outsider.workspaceId;
    for (const role of ['owner', 'admin'] as const) {
      const audit = await call(role, 'getAuditEvents', { workspaceId: ids.workspaceId, limit: 100 });
      expect(audit.body.events.length, role).toBeGreaterThan(0);
      expect(new Set(audit.body.events.map((e: { workspaceId: string }) => e.workspaceId)), role).toEqual(new Set([ids.workspaceId]));
      const history = await call(role, 'getPaymentHistory', { workspaceId: ids.workspaceId });
      const ours = await db().payment.findMany({ where: { workspaceId: ids.workspaceId }, select: { id: true } });
      expect(history.body.payments.map((p: { id: string }) => p.id).sort(), role).toEqual(ours.map((p) => p.id).sort());
    }
    const own = await call('outsider', 'getAuditEvents', { workspaceId: other, limit: 100 });
    expect(own.body.events.some((e: { workspaceId: string }) => e.workspaceId !== other)).toBe(false);
    const all = await call('siteAdmin', 'getAuditEvents', { limit: 100 });
    const seen = new Set(all.body.events.map((e: { workspaceId: string }) => e.workspaceId));
    expect([seen.has(ids.workspaceId), seen.has(other)]).toEqual([true, true]);

    const members = await call('member', 'getWorkspaceMembers', ws(ids));
    const memberIds = (await db().membership.findMany({ where: { workspaceId: ids.workspaceId } })).map((m) => m.userId);
    expect(members.body.map((m: { userId: string }) => m.userId).sort()).toEqual(memberIds.sort());
    const listed = await call('outsider', 'getMyWorkspaces', {});
    expect(listed.body.map((w: { id: string }) => w.id)).not.toContain(ids.workspaceId);
  });
});
