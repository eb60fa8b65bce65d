import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.js';
import type { AuthUser, OperationContext } from '../server/operationContext.js';
import { createTestDatabase } from '../test/testDatabase.js';
import { addWorkspaceMember, createWorkspace, getMyWorkspaces, getWorkspaceMembers } from './operations.js';

let prisma: Db;
let anonymous: OperationContext;
let owner: OperationContext, admin: OperationContext, member: OperationContext, outsider: OperationContext;
let workspaceId: string;

async function newUser(email: string): Promise<OperationContext> {
  const user: AuthUser = await prisma.user.create({
    data: { email, passwordHash: 'not used here' },
    select: { id: true, email: true, isAdmin: true },
  });
  return { user, entities: prisma };
}

function userId(context: OperationContext): string {
  return context.user!.id;
}

beforeAll(async () => {
  ({ prisma } = await createTestDatabase());
  anonymous = { entities: prisma };
  owner = await newUser('owner@example.com');
  admin = await newUser('admin@example.com');
  member = await newUser('member@example.com');
  outsider = await newUser('outsider@example.com');
  ({ id: workspaceId } = await createWorkspace({ name: 'Team' }, owner));
  await addWorkspaceMember({ workspaceId, email: 'admin@example.com', role: 'admin' }, owner);
  await addWorkspaceMember({ workspaceId, email: 'member@example.com', role: 'member' }, owner);
});

describe('getMyWorkspaces', () => {
  it('needs a user', async () => {
    await expect(getMyWorkspaces({}, anonymous)).rejects.toMatchObject({ statusCode: 401 });
  });

  it("lists each of the caller's workspaces with the caller's role", async () => {
    expect(await getMyWorkspaces({}, owner)).toEqual([{ id: workspaceId, name: 'Team', role: 'owner' }]);
    expect(await getMyWorkspaces({}, admin)).toEqual([{ id: workspaceId, name: 'Team', role: 'admin' }]);
    expect(await getMyWorkspaces({}, member)).toEqual([{ id: workspaceId, name: 'Team', role: 'member' }]);
    expect(await getMyWorkspaces({}, outsider)).toEqual([]);
  });
});

describe('createWorkspace', () => {
  it('needs a user', async () => {
    await expect(createWorkspace({ name: 'Nope' }, anonymous)).rejects.toMatchObject({ statusCode: 401 });
  });

  it('answers a blank name with 400 naming the field', async () => {
    const error = await createWorkspace({ name: '   ' }, owner).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400, message: expect.stringContaining('name: is required') });
  });

  it('makes the caller owner and writes workspace.created', async () => {
    const creator = await newUser('creator@example.com');
    const created = await createWorkspace({ name: ' Side project ' }, creator);
    expect(created).toEqual({ id: expect.any(String), name: 'Side project', role: 'owner' });
    expect(await getMyWorkspaces({}, creator)).toEqual([created]);
    expect(await prisma.auditEvent.findMany({ where: { action: 'workspace.created', workspaceId: created.id } })).toMatchObject([
      { actorType: 'user', actorId: userId(creator), target: created.id, metadata: { name: 'Side project' } },
    ]);
  });
});

describe('addWorkspaceMember', () => {
  const args = (email: string) => ({ workspaceId, email, role: 'member' as const });

  it('is for owners only: 401 anonymous, 404 outsider, 403 admin and member', async () => {
    await newUser('candidate@example.com');
    await expect(addWorkspaceMember(args('candidate@example.com'), anonymous)).rejects.toMatchObject({ statusCode: 401 });
    await expect(addWorkspaceMember(args('candidate@example.com'), outsider)).rejects.toMatchObject({ statusCode: 404 });
    await expect(addWorkspaceMember(args('candidate@example.com'), admin)).rejects.toMatchObject({ statusCode: 403 });
    await expect(addWorkspaceMember(args('candidate@example.com'), member)).rejects.toMatchObject({ statusCode: 403 });
    expect((await getWorkspaceMembers({ workspaceId }, owner)).map((m) => m.email)).not.toContain('candidate@example.com');
  });

  it('lets the owner add an existing account by email (any case) and writes member.added', async () => {
    const newcomer = await newUser('newcomer@example.com');
    const added = await addWorkspaceMember({ workspaceId, email: ' NewComer@Example.com ', role: 'admin' }, owner);
    expect(added).toEqual({ userId: userId(newcomer), email: 'newcomer@example.com', role: 'admin' });
    expect(await getMyWorkspaces({}, newcomer)).toEqual([{ id: workspaceId, name: 'Team', role: 'admin' }]);
    expect(await prisma.auditEvent.findMany({ where: { action: 'member.added', target: userId(newcomer) } })).toMatchObject([
      { workspaceId, actorType: 'user', actorId: userId(owner), metadata: { email: 'newcomer@example.com', role: 'admin' } },
    ]);
  });

  it('answers 404 for an email without an account', async () => {
    await expect(addWorkspaceMember(args('ghost@example.com'), owner)).rejects.toMatchObject({
      statusCode: 404,
      message: expect.stringContaining('No user with email ghost@example.com'),
    });
  });

  it('answers 409 for an existing member and writes no second audit event', async () => {
    const auditsBefore = await prisma.auditEvent.count({ where: { action: 'member.added' } });
    await expect(addWorkspaceMember(args('member@example.com'), owner)).rejects.toMatchObject({
      statusCode: 409,
      message: 'member@example.com is already a member of this workspace',
    });
    await expect(addWorkspaceMember(args('owner@example.com'), owner)).rejects.toMatchObject({ statusCode: 409 });
    expect(await prisma.auditEvent.count({ where: { action: 'member.added' } })).toBe(auditsBefore);
    expect(await getWorkspaceMembers({ workspaceId }, owner)).toContainEqual({
      userId: userId(owner),
      email: 'owner@example.com',
      role: 'owner',
    });
  });

  it('answers bad arguments with 400 naming each field', async () => {
    const error = await addWorkspaceMember({ workspaceId: '', email: 'nope', role: 'boss' as 'member' }, owner).catch((e: unknown) => e);
    expect(error).toMatchObject({ statusCode: 400 });
    const { message } = error as Error;
    expect(message).toContain('workspaceId: is required');
    expect(message).toContain('email: must be an email address');
    expect(message).toContain('role:');
  });
});

describe('getWorkspaceMembers', () => {
  it('answers 401 anonymous and 404 to an outsider', async () => {
    await expect(getWorkspaceMembers({ workspaceId }, anonymous)).rejects.toMatchObject({ statusCode: 401 });
    await expect(getWorkspaceMembers({ workspaceId }, outsider)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('lists members with emails and roles to every member', async () => {
    const expected = [
      { userId: userId(owner), email: 'owner@example.com', role: 'owner' },
      { userId: userId(admin), email: 'admin@example.com', role: 'admin' },
      { userId: userId(member), email: 'member@example.com', role: 'member' },
    ];
    for (const caller of [owner, admin, member]) {
      expect(await getWorkspaceMembers({ workspaceId }, caller)).toEqual(expect.arrayContaining(expected));
    }
  });

  it('answers a missing workspaceId with 400 naming it', async () => {
    await expect(getWorkspaceMembers({} as { workspaceId: string }, owner)).rejects.toMatchObject({
      statusCode: 400,
      message: expect.stringContaining('workspaceId'),
    });
  });
});
