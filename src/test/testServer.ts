import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll } from 'vitest';
import { loadCoreEnv, useCoreEnv } from '../config/env.js';
import { db } from '../db/client.js';
import type { SmtpCapture } from '../email/smtpCapture.js';
import { createEventsProcessor, type EventsDriver } from './eventsProcessor.js';
import { EVENTS_SIGNATURE_HEADER, signEventsPayload } from './eventsWire.js';
import type { PaymentProcessor } from '../payment/paymentProcessor.js';
import { usePaymentProcessor } from '../payment/processors.js';
import { definePaymentProcessor } from '../payment/webhookHandler.js';
import { createApp } from '../server/createApp.js';
import { billedWorkspace } from './billingRecords.js';
import { createTestDatabase } from './testDatabase.js';

export interface TestUser {
  id: string;
  email: string;
  cookie: string;
  /** The personal workspace sign-up created. */
  workspaceId: string;
}

/**
 * The real app over real HTTP on a fresh database, with the core's test processor (eventsProcessor.ts; or the one given).
 * Everything a test does goes through the public surface: /auth, /operations, /payments-webhook.
 */
export async function startTestServer(options: { processor?: PaymentProcessor; fake?: EventsDriver; env?: NodeJS.ProcessEnv; smtpCapture?: SmtpCapture } = {}) {
  await createTestDatabase();
  const env = loadCoreEnv({ ADMIN_EMAILS: 'admin@example.com', APP_URL: 'http://localhost:3001', ...options.env });
  useCoreEnv(env);
  // `fake`: the driver whose secret signs `webhook()`, when `processor` wraps one of the test's own.
  const fake: EventsDriver = options.fake ?? createEventsProcessor({});
  const processor = options.processor ?? definePaymentProcessor(fake);
  usePaymentProcessor(processor);
  const app = createApp({ env, processor, defaults: { database: 'test database' }, smtpCapture: options.smtpCapture });
  const server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function post(path: string, body: unknown, cookie?: string) {
    const res = await fetch(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie && { cookie }) },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
  }

  return {
    baseUrl,
    fake,
    post,
    /** Calls an operation; returns status and JSON body (the result, or `{ message }`). */
    call: (operation: string, args: unknown, user?: { cookie: string }) => post(`/operations/${operation}`, args, user?.cookie),
    async signup(email: string): Promise<TestUser> {
      const res = await post('/auth/signup', { email, password: 'correct horse battery' });
      if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
      const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      return { id: res.body.user.id, email, cookie, workspaceId: res.body.workspaces[0].id };
    },
    async addMember(owner: TestUser, member: TestUser, role: 'owner' | 'admin' | 'member') {
      const res = await post('/operations/addWorkspaceMember', { workspaceId: owner.workspaceId, email: member.email, role }, owner.cookie);
      if (res.status !== 200) throw new Error(`addWorkspaceMember failed: ${res.status} ${JSON.stringify(res.body)}`);
    },
    /** A fresh workspace with an owner, a workspace admin, a plain member, and a user of another workspace. */
    async team(): Promise<TestTeam> {
      const n = randomUUID().slice(0, 8);
      const [owner, admin, member, outsider] = await Promise.all(
        ['owner', 'wsadmin', 'member', 'outsider'].map((role) => this.signup(`${role}-${n}@example.com`)),
      );
      await this.addMember(owner!, admin!, 'admin');
      await this.addMember(owner!, member!, 'member');
      return { owner: owner!, admin: admin!, member: member!, outsider: outsider!, workspaceId: owner!.workspaceId };
    },
    /** Sends a signed test-processor webhook: `{ id, type, data }` where data is a normalized event. */
    async webhook(delivery: { id: string; type: string; data?: unknown }, options: { secret?: string; rawBody?: string } = {}) {
      const body = options.rawBody ?? JSON.stringify(delivery);
      const res = await fetch(`${baseUrl}/payments-webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [EVENTS_SIGNATURE_HEADER]: signEventsPayload(body, options.secret ?? fake.webhookSecret) },
        body,
      });
      return { status: res.status, headers: res.headers, body: (await res.json()) as { message?: string; duplicate?: boolean; ignored?: boolean; eventId?: string } };
    },
    workspace: billedWorkspace,
  };
}

export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export interface TestTeam {
  owner: TestUser;
  admin: TestUser;
  member: TestUser;
  /** Someone with a workspace of their own, not in this one. */
  outsider: TestUser;
  workspaceId: string;
}
