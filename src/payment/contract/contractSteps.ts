import { expect } from 'vitest';
import { db } from '../../db/client.js';
import type { TestServer, TestUser } from '../../test/testServer.js';
import type { ProcessorHarness } from './processorHarness.js';

/**
 * The app-side steps of the contract suites: new owners, what they read (billing, emails, audit), buying
 * through the processor's checkout, and operations that wait for the webhooks they cause. `app` returns
 * the suite's server and harness, which exist only once its beforeAll has run.
 */
export function contractSteps(app: () => { t: TestServer; h: ProcessorHarness }) {
  const unique = () => Math.random().toString(36).slice(2);
  return {
    newOwner: () => app().t.signup(`owner-${unique()}@example.com`),
    billing: async (user: TestUser, workspaceId = user.workspaceId) => (await app().t.call('getWorkspaceBilling', { workspaceId }, user)).body,
    emailsTo: async (email: string) => (await db().emailOutbox.findMany({ where: { recipient: email }, orderBy: { createdAt: 'asc' } })).map((e) => e.template),
    auditOf: (workspaceId: string, action: string) => db().auditEvent.findMany({ where: { workspaceId, action }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
    async buy(user: TestUser, planId: string, card: 'good' | 'failsRenewals' = 'good') {
      const res = await app().t.call('generateCheckoutSession', { workspaceId: user.workspaceId, planId }, user);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      await app().h.pay(res.body.sessionId, card);
      await app().h.idle();
    },
    /** Calls an operation as `user` and waits for whatever webhooks it caused to be answered. */
    async call(operation: string, args: Record<string, unknown>, user?: TestUser) {
      const res = await app().t.call(operation, args, user);
      await app().h.idle();
      return res;
    },
  };
}
