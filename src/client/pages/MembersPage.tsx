import { useState } from 'react';
import { api } from '@billing/backend';
import type { Role } from '../backend/types.js';
import { Field } from '../components/Field.js';
import { ErrorNotice, Placeholder, StatusNotice } from '../components/Notice.js';
import { SignedInPage, type WorkspaceView } from '../components/SignedInPage.js';
import { aRole, roleLabels } from '../format.js';
import { reloadSession, selectWorkspace } from '../session.js';
import { onSubmitRun, useAction } from '../useAction.js';
import { useAsync } from '../useAsync.js';

const roles = Object.keys(roleLabels) as Role[];

/** The workspace's members; owners add people with a role. Anyone can start another workspace. */
export function MembersPage() {
  return (
    <SignedInPage title="Members">
      {(view) => (
        <>
          <Members view={view} />
          <CreateWorkspace />
        </>
      )}
    </SignedInPage>
  );
}

function Members({ view: { workspace } }: { view: WorkspaceView }) {
  const members = useAsync(() => api.getWorkspaceMembers({ workspaceId: workspace.id }), [workspace.id]);
  return (
    <section className="section" aria-labelledby="members-heading">
      <h2 id="members-heading">People in {workspace.name}</h2>
      {members.data ? (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((member) => (
                <tr key={member.userId}>
                  <td>{member.email}</td>
                  <td>{roleLabels[member.role]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : members.error ? (
        <ErrorNotice error={members.error} />
      ) : (
        <Placeholder lines={2} label="Loading members" />
      )}
      {workspace.role === 'owner' ? (
        <AddMember workspaceId={workspace.id} onAdded={members.reload} />
      ) : (
        <p className="muted">Only the workspace’s owners can add members.</p>
      )}
    </section>
  );
}

function AddMember({ workspaceId, onAdded }: { workspaceId: string; onAdded: () => void }) {
  const [added, setAdded] = useState<string>();
  const add = useAction(async (form: HTMLFormElement) => {
    setAdded(undefined);
    const data = new FormData(form);
    const member = await api.addWorkspaceMember({ workspaceId, email: String(data.get('email')), role: String(data.get('role')) as Role });
    setAdded(`${member.email} is now ${aRole[member.role]} of this workspace.`);
    form.reset();
    onAdded();
  });
  return (
    <form className="card inline-form" onSubmit={onSubmitRun(add.run)} aria-labelledby="add-member-heading">
      <h3 id="add-member-heading">Add a member</h3>
      <div className="form-row">
        <Field label="Email" name="email" type="email" required autoComplete="off" hint="They need an account: ask them to sign up first." />
        <div className="field">
          <label htmlFor="member-role">Role</label>
          <select id="member-role" name="role" defaultValue="member">
            {roles.map((role) => (
              <option key={role} value={role}>
                {roleLabels[role]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button" disabled={add.busy}>
          {add.busy ? 'Adding…' : 'Add member'}
        </button>
      </div>
      <p className="hint">Owners manage billing and members; admins also read payments and the audit log; members may buy credit packs.</p>
      <ErrorNotice error={add.error} />
      {added && <StatusNotice tone="success">{added}</StatusNotice>}
    </form>
  );
}

function CreateWorkspace() {
  const create = useAction(async (form: HTMLFormElement) => {
    const workspace = await api.createWorkspace({ name: String(new FormData(form).get('name')) });
    await reloadSession();
    selectWorkspace(workspace.id);
  });
  return (
    <section className="section" aria-labelledby="new-workspace-heading">
      <h2 id="new-workspace-heading">Another workspace</h2>
      <form className="card inline-form" onSubmit={onSubmitRun(create.run)}>
        <div className="form-row">
          <Field label="Workspace name" name="name" required maxLength={100} />
          <button type="submit" className="button button-quiet" disabled={create.busy}>
            {create.busy ? 'Creating…' : 'Create workspace'}
          </button>
        </div>
        <p className="hint">Each workspace has its own plan, credits and members. Switch between them at the top of the page.</p>
        <ErrorNotice error={create.error} />
      </form>
    </section>
  );
}
