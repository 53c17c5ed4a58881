'use client';

import { useId, useState, type FormEvent } from 'react';

import { ConfirmButton } from '@/components/confirm-button';
import { Pager, useCursorPager } from '@/components/pager';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { api, describeError, PortalError, unwrap, type Schema } from '@/lib/api';
import { useSession } from '@/lib/session';
import { useApi } from '@/lib/use-api';

import styles from './org.module.css';

type Organization = Schema<'OrganizationDto'>;
type RoleName = Schema<'RoleDto'>['role'];
type RoleInfo = Schema<'RoleDto'>;

/** What each role may do, from GET /api/v1/roles (the API's own words). */
function useRoles() {
  return useApi('roles', async () => unwrap(await api().GET('/api/v1/roles')).items);
}

function RolePicker({ roles, value, onChange, id, describedBy }: { roles: RoleInfo[]; value: RoleName; onChange: (role: RoleName) => void; id: string; describedBy?: string }) {
  return (
    <select id={id} className="input" value={value} onChange={(event) => onChange(event.target.value as RoleName)} aria-describedby={describedBy}>
      {roles.map((role) => (
        <option key={role.role} value={role.role}>
          {role.title}
        </option>
      ))}
    </select>
  );
}

function AddMember({ org, roles, onAdded }: { org: string; roles: RoleInfo[]; onAdded: (name: string) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>('developer');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const roleId = useId();
  const explainId = useId();
  const chosen = roles.find((r) => r.role === role);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const user = name.trim();
    setBusy(true);
    setError(null);
    try {
      unwrap(await api().PUT('/api/v1/orgs/{org}/members/{user}', { params: { path: { org, user } }, body: { role } }));
      setName('');
      onAdded(user);
    } catch (caught) {
      setError(caught instanceof PortalError && caught.status === 404 ? `There is no user “${user}”.` : describeError(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby="add-member">
      <h3 id="add-member">Add a member</h3>
      {error ? (
        <p className={styles.formError} role="alert">
          {error}
        </p>
      ) : null}
      <div className={styles.formRow}>
        <div className={`field ${styles.grow}`}>
          <label htmlFor={nameId}>User name</label>
          <input id={nameId} className="input" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" maxLength={255} required />
        </div>
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <RolePicker id={roleId} roles={roles} value={role} onChange={setRole} describedBy={explainId} />
        </div>
        <button type="submit" className="button" disabled={busy || name.trim() === ''}>
          {busy ? 'Adding…' : 'Add member'}
        </button>
      </div>
      <p id={explainId} className="muted" aria-live="polite">
        {chosen ? `${chosen.title}: ${chosen.description}` : null}
      </p>
    </form>
  );
}

function MemberRow({ org, member, roles, canManage, isSelf, onChanged }: { org: string; member: Schema<'MemberDto'>; roles: RoleInfo[]; canManage: boolean; isSelf: boolean; onChanged: (message: string) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [role, setRole] = useState<RoleName>(member.role);
  const path = { org, user: member.name };
  const change = async (next: RoleName) => {
    const before = role;
    setRole(next);
    setError(null);
    try {
      unwrap(await api().PUT('/api/v1/orgs/{org}/members/{user}', { params: { path }, body: { role: next } }));
      onChanged(`${member.name} is now ${next}.`);
    } catch (caught) {
      setRole(before);
      setError(describeError(caught));
    }
  };
  const remove = async () => {
    setError(null);
    try {
      // 204 No Content: no body to unwrap.
      const { response, error: body } = await api().DELETE('/api/v1/orgs/{org}/members/{user}', { params: { path } });
      if (!response.ok) unwrap({ response, error: body });
      onChanged(`${member.name} was removed.`);
    } catch (caught) {
      setError(describeError(caught));
    }
  };
  return (
    <tr>
      <td>
        {member.name}
        {isSelf ? <span className="muted"> (you)</span> : null}
      </td>
      <td>
        {canManage ? (
          <select className="input" aria-label={`Role of ${member.name}`} value={role} onChange={(event) => void change(event.target.value as RoleName)}>
            {roles.map((r) => (
              <option key={r.role} value={r.role}>
                {r.title}
              </option>
            ))}
          </select>
        ) : (
          <span className="badge">{roles.find((r) => r.role === member.role)?.title ?? member.role}</span>
        )}
        {error ? (
          <p className={styles.formError} role="alert">
            {error}
          </p>
        ) : null}
      </td>
      {canManage ? (
        <td>
          <ConfirmButton label={`Remove ${member.name}`} question={`Remove ${member.name} from ${org}?`} confirmLabel="Remove" onConfirm={remove} />
        </td>
      ) : null}
    </tr>
  );
}

export function MembersTab({ org }: { org: Organization }) {
  const canManage = org.permissions.includes('member:manage');
  const { user } = useSession();
  const [roles] = useRoles();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const pager = useCursorPager(`members:${org.name}`);
  const [members, retry] = useApi(`members:${org.name}:${pager.cursor ?? ''}:${version}`, async () =>
    unwrap(await api().GET('/api/v1/orgs/{org}/members', { params: { path: { org: org.name }, query: { limit: 50, ...(pager.cursor ? { cursor: pager.cursor } : {}) } } })),
  );
  const [teams, retryTeams] = useApi(`teams:${org.name}`, async () => unwrap(await api().GET('/api/v1/orgs/{org}/teams', { params: { path: { org: org.name } } })).items);
  const changed = (message: string) => {
    setNotice(message);
    setVersion((n) => n + 1);
  };
  const roleList = roles.state === 'ready' ? roles.data : [];
  return (
    <>
      <section className="card" aria-labelledby="members">
        <h2 id="members">Members</h2>
        {canManage && roles.state === 'ready' ? <AddMember org={org.name} roles={roleList} onAdded={(name) => changed(`${name} was added.`)} /> : null}
        <p className={styles.notice} role="status">
          {notice}
        </p>
        {members.state === 'loading' || roles.state === 'loading' ? <Loading label="Loading members…" /> : null}
        {members.state === 'error' ? <ErrorState title="Could not load the members" message={members.message} onRetry={retry} /> : null}
        {roles.state === 'error' ? <ErrorState title="Could not load the roles" message={roles.message} /> : null}
        {members.state === 'ready' && roles.state === 'ready' && members.data.items.length === 0 ? (
          <EmptyState title="No members">
            <p>{canManage ? 'Add people above; each gets one of the roles explained below.' : 'Nobody holds a role here directly.'}</p>
          </EmptyState>
        ) : null}
        {members.state === 'ready' && roles.state === 'ready' && members.data.items.length > 0 ? (
          <>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Members of {org.name}</caption>
                <thead>
                  <tr>
                    <th scope="col">User</th>
                    <th scope="col">Role</th>
                    {canManage ? <th scope="col">Actions</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {members.data.items.map((member) => (
                    <MemberRow key={`${member.name}:${member.role}:${version}`} org={org.name} member={member} roles={roleList} canManage={canManage} isSelf={member.name === user?.name} onChanged={changed} />
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={members.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
          </>
        ) : null}
      </section>
      <section className="card" aria-labelledby="teams">
        <h2 id="teams">Teams</h2>
        <p className="muted">Every member of a team holds at least the team’s role.</p>
        {teams.state === 'loading' ? <Loading label="Loading teams…" /> : null}
        {teams.state === 'error' ? <ErrorState title="Could not load the teams" message={teams.message} onRetry={retryTeams} /> : null}
        {teams.state === 'ready' && teams.data.length === 0 ? <EmptyState title="No teams" /> : null}
        {teams.state === 'ready' && teams.data.length > 0 ? (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Teams of {org.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Team</th>
                  <th scope="col">Role</th>
                </tr>
              </thead>
              <tbody>
                {teams.data.map((team) => (
                  <tr key={team.id}>
                    <td>{team.name}</td>
                    <td>
                      <span className="badge">{roleList.find((r) => r.role === team.role)?.title ?? team.role}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {roles.state === 'ready' ? (
        <section className="card" aria-labelledby="roles">
          <h2 id="roles">What each role may do</h2>
          <ul className={styles.roleList}>
            {roles.data.map((role) => (
              <li key={role.role} aria-current={role.role === org.role ? 'true' : undefined}>
                <strong>{role.title}</strong>
                {role.role === org.role ? <span className="muted"> (your role)</span> : null}
                <div className="muted">{role.description}</div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
