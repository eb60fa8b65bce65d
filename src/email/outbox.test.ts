import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../db/client.js';
import type { WorkspaceRole } from '../db/generated/enums.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { enqueueEmail, enqueueForWorkspaceOwners } from './outbox.js';

const ended = { workspaceName: 'Acme', planName: 'Pro' };
let acmeId: string;

beforeAll(async () => {
  await createTestDatabase();
  const acme = await db().workspace.create({ data: { name: 'Acme' } });
  const other = await db().workspace.create({ data: { name: 'Other' } });
  acmeId = acme.id;
  const members: [string, string, WorkspaceRole][] = [
    ['owner1@acme.test', acme.id, 'owner'],
    ['owner2@acme.test', acme.id, 'owner'],
    ['admin@acme.test', acme.id, 'admin'],
    ['member@acme.test', acme.id, 'member'],
    ['owner@other.test', other.id, 'owner'],
  ];
  for (const [email, workspaceId, role] of members) {
    await db().user.create({ data: { email, passwordHash: 'x', memberships: { create: { workspaceId, role } } } });
  }
});

beforeEach(async () => {
  await db().emailOutbox.deleteMany();
});

describe('email outbox', () => {
  it('queues one pending email per owner of the workspace, none for admins, members or other workspaces', async () => {
    const count = await db().$transaction((tx) => enqueueForWorkspaceOwners(tx, acmeId, 'subscription_ended', ended));
    expect(count).toBe(2);
    const rows = await db().emailOutbox.findMany({ orderBy: { recipient: 'asc' } });
    expect(rows.map((row) => row.recipient)).toEqual(['owner1@acme.test', 'owner2@acme.test']);
    for (const row of rows) {
      expect(row).toMatchObject({ template: 'subscription_ended', data: ended, status: 'pending', attempts: 0, sentAt: null });
    }
  });

  it('queues nothing for a workspace without owners', async () => {
    const empty = await db().workspace.create({ data: { name: 'Empty' } });
    expect(await enqueueForWorkspaceOwners(db(), empty.id, 'subscription_ended', ended)).toBe(0);
    expect(await db().emailOutbox.count()).toBe(0);
  });

  it('enqueueEmail stores the recipient, template and data as given', async () => {
    const data = { workspaceName: 'Acme', credits: 10, balance: 30 };
    await db().$transaction((tx) => enqueueEmail(tx, { recipient: 'someone@acme.test', template: 'credits_purchased', data }));
    const row = await db().emailOutbox.findFirstOrThrow();
    expect(row).toMatchObject({ recipient: 'someone@acme.test', template: 'credits_purchased', data, status: 'pending' });
  });

  it("rolls back with the caller's transaction", async () => {
    const failure = new Error('the webhook failed after queueing emails');
    await expect(
      db().$transaction(async (tx) => {
        await enqueueForWorkspaceOwners(tx, acmeId, 'subscription_ended', ended);
        await enqueueEmail(tx, { recipient: 'someone@acme.test', template: 'subscription_ended', data: ended });
        expect(await tx.emailOutbox.count()).toBe(3);
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(await db().emailOutbox.count()).toBe(0);
  });
});
