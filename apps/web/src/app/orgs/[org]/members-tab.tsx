'use client';

import { useId, useState, type FormEvent } from 'react';

import { ConfirmButton } from '@/components/confirm-button';
import { FormMessage } from '@/components/form-message';
import { Pager, useCursorPager } from '@/components/pager';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { api, describeError, expectOk, PortalError, unwrap, type Schema } from '@/lib/api';
import { useSession } from '@/lib/session';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

import styles from './org.module.css';

type Organization = Schema<'OrganizationDto'>;
type RoleName = Schema<'RoleDto'>['role'];
type RoleInfo = Schema<'RoleDto'>;
type Team = Schema<'TeamDto'>;

/** What each role may do, from GET /api/v1/roles (the API's own words). */
function useRoles() {
  return useApi('roles', async () => unwrap(await api().GET('/api/v1/roles')).items);
}

const roleTitle = (roles: RoleInfo[], role: RoleName) => roles.find((r) => r.role === role)?.title ?? role;

/** Why adding `user` failed: a name that matches nobody is said plainly. */
function addUserError(caught: unknown, user: string): string {
  return caught instanceof PortalError && caught.status === 404 ? `There is no user “${user}”.` : describeError(caught);
}

/** A role, by its title; labelled by a <label for={id}> or, in a table cell, by `label`. */
function RolePicker({ roles, value, onChange, id, label, describedBy }: { roles: RoleInfo[]; value: RoleName; onChange: (role: RoleName) => void; id?: string; label?: string; describedBy?: string }) {
  return (
    <select id={id} className="input" value={value} onChange={(event) => onChange(event.target.value as RoleName)} aria-label={label} aria-describedby={describedBy}>
      {roles.map((role) => (
        <option key={role.role} value={role.role}>
          {role.title}
        </option>
      ))}
    </select>
  );
}

/**
 * A name and a role: a member to add, a team to create. The chosen role is explained in the
 * API's words; `save` throws on failure, `describe` says why.
 */
function NameAndRoleForm({
  id,
  title,
  nameLabel,
  roleLabel,
  submitLabel,
  busyLabel,
  maxLength,
  placeholder,
  roles,
  save,
  describe = describeError,
}: {
  id: string;
  title: string;
  nameLabel: string;
  roleLabel: string;
  submitLabel: string;
  busyLabel: string;
  maxLength: number;
  placeholder?: string;
  roles: RoleInfo[];
  save: (name: string, role: RoleName) => Promise<void>;
  describe?: (caught: unknown, name: string) => string;
}) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<RoleName>('developer');
  const { busy, error, run } = useAction();
  const nameId = useId();
  const roleId = useId();
  const explainId = useId();
  const chosen = roles.find((r) => r.role === role);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const value = name.trim();
    return run(
      async () => {
        await save(value, role);
        setName('');
      },
      { describe: (caught) => describe(caught, value) },
    );
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <FormMessage error={error} />
      <div className={styles.formRow}>
        <div className={`field ${styles.grow}`}>
          <label htmlFor={nameId}>{nameLabel}</label>
          <input id={nameId} className="input" value={name} onChange={(event) => setName(event.target.value)} autoComplete="off" maxLength={maxLength} placeholder={placeholder} required />
        </div>
        <div className="field">
          <label htmlFor={roleId}>{roleLabel}</label>
          <RolePicker id={roleId} roles={roles} value={role} onChange={setRole} describedBy={explainId} />
        </div>
        <button type="submit" className="button" disabled={busy || name.trim() === ''}>
          {busy ? busyLabel : submitLabel}
        </button>
      </div>
      <p id={explainId} className="muted" aria-live="polite">
        {chosen ? `${chosen.title}: ${chosen.description}` : null}
      </p>
    </form>
  );
}

function AddMember({ org, roles, onAdded }: { org: string; roles: RoleInfo[]; onAdded: (name: string) => void }) {
  return (
    <NameAndRoleForm
      id="add-member"
      title="Add a member"
      nameLabel="User name"
      roleLabel="Role"
      submitLabel="Add member"
      busyLabel="Adding…"
      maxLength={255}
      roles={roles}
      describe={addUserError}
      save={async (user, role) => {
        unwrap(await api().PUT('/api/v1/orgs/{org}/members/{user}', { params: { path: { org, user } }, body: { role } }));
        onAdded(user);
      }}
    />
  );
}

function MemberRow({ org, member, roles, canManage, isSelf, onChanged }: { org: string; member: Schema<'MemberDto'>; roles: RoleInfo[]; canManage: boolean; isSelf: boolean; onChanged: (message: string) => void }) {
  const { error, run } = useAction();
  const [role, setRole] = useState<RoleName>(member.role);
  const path = { org, user: member.name };
  const change = async (next: RoleName) => {
    const before = role;
    setRole(next);
    const changed = await run(async () => {
      unwrap(await api().PUT('/api/v1/orgs/{org}/members/{user}', { params: { path }, body: { role: next } }));
      onChanged(`${member.name} is now ${next}.`);
    });
    if (!changed) setRole(before);
  };
  const remove = async () => {
    await run(async () => {
      expectOk(await api().DELETE('/api/v1/orgs/{org}/members/{user}', { params: { path } }));
      onChanged(`${member.name} was removed.`);
    });
  };
  return (
    <tr>
      <td>
        {member.name}
        {isSelf ? <span className="muted"> (you)</span> : null}
      </td>
      <td>
        {canManage ? (
          <RolePicker roles={roles} label={`Role of ${member.name}`} value={role} onChange={(next) => void change(next)} />
        ) : (
          <span className="badge">{roleTitle(roles, member.role)}</span>
        )}
        <FormMessage error={error} />
      </td>
      {canManage ? (
        <td>
          <ConfirmButton label={`Remove ${member.name}`} question={`Remove ${member.name} from ${org}?`} confirmLabel="Remove" onConfirm={remove} />
        </td>
      ) : null}
    </tr>
  );
}

function CreateTeam({ org, roles, onCreated }: { org: string; roles: RoleInfo[]; onCreated: (team: Team) => void }) {
  return (
    <NameAndRoleForm
      id="new-team"
      title="New team"
      nameLabel="Team name"
      roleLabel="Team role"
      submitLabel="Create team"
      busyLabel="Creating…"
      maxLength={100}
      placeholder="Release engineering"
      roles={roles}
      save={async (name, role) => onCreated(unwrap(await api().POST('/api/v1/orgs/{org}/teams', { params: { path: { org } }, body: { name, role } })))}
    />
  );
}

/** One team: its role, its members, and (for organization admins) the controls to change them. */
function TeamCard({ org, team, roles, canManage, onChanged }: { org: string; team: Team; roles: RoleInfo[]; canManage: boolean; onChanged: (message: string, reload?: boolean) => void }) {
  const [version, setVersion] = useState(0);
  const [members, retry] = useApi(`team:${org}:${team.id}:${version}`, async () => unwrap(await api().GET('/api/v1/orgs/{org}/teams/{teamId}/members', { params: { path: { org, teamId: team.id } } })).items);
  const [role, setRole] = useState<RoleName>(team.role);
  const [draft, setDraft] = useState('');
  // One error for the card, the latest action's; the add button alone says it is busy.
  const { error, run } = useAction();
  const [adding, setAdding] = useState(false);
  const titleId = useId();
  const roleId = useId();
  const userId = useId();
  const path = { org, teamId: team.id };
  const changeRole = async (next: RoleName) => {
    const before = role;
    setRole(next);
    const changed = await run(async () => {
      unwrap(await api().PATCH('/api/v1/orgs/{org}/teams/{teamId}', { params: { path }, body: { role: next } }));
      onChanged(`The team ${team.name} now gives ${roleTitle(roles, next)}.`);
    });
    if (!changed) setRole(before);
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const user = draft.trim();
    setAdding(true);
    await run(
      async () => {
        expectOk(await api().PUT('/api/v1/orgs/{org}/teams/{teamId}/members/{user}', { params: { path: { ...path, user } } }));
        setDraft('');
        setVersion((n) => n + 1);
        onChanged(`${user} joined ${team.name}.`);
      },
      { describe: (caught) => addUserError(caught, user) },
    );
    setAdding(false);
  };
  const remove = async (user: string) => {
    await run(async () => {
      expectOk(await api().DELETE('/api/v1/orgs/{org}/teams/{teamId}/members/{user}', { params: { path: { ...path, user } } }));
      setVersion((n) => n + 1);
      onChanged(`${user} left ${team.name}.`);
    });
  };
  const deleteTeam = async () => {
    await run(async () => {
      expectOk(await api().DELETE('/api/v1/orgs/{org}/teams/{teamId}', { params: { path } }));
      onChanged(`The team ${team.name} was deleted.`, true);
    });
  };
  return (
    <section className={styles.team} aria-labelledby={titleId}>
      <h3 id={titleId}>{team.name}</h3>
      {canManage ? (
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <RolePicker id={roleId} roles={roles} value={role} onChange={(next) => void changeRole(next)} />
        </div>
      ) : (
        <span className="badge">{roleTitle(roles, team.role)}</span>
      )}
      <FormMessage error={error} />
      {members.state === 'loading' ? <Loading label="Loading the team…" /> : null}
      {members.state === 'error' ? <ErrorState title="Could not load the team’s members" message={members.message} onRetry={retry} /> : null}
      {members.state === 'ready' && members.data.length === 0 ? <p className="muted">No members yet.</p> : null}
      {members.state === 'ready' && members.data.length > 0 ? (
        <ul className={styles.teamMembers} aria-label={`Members of ${team.name}`}>
          {members.data.map((member) => (
            <li key={member.name}>
              <span>{member.name}</span>
              {canManage ? <ConfirmButton label="Remove" name={`Remove ${member.name} from ${team.name}`} question={`Remove ${member.name}?`} confirmLabel="Remove" onConfirm={() => remove(member.name)} /> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canManage ? (
        <>
          <form onSubmit={(event) => void add(event)} aria-label={`Add to ${team.name}`} className={styles.formRow}>
            <div className={`field ${styles.grow}`}>
              <label htmlFor={userId}>User name</label>
              <input id={userId} className="input" value={draft} onChange={(event) => setDraft(event.target.value)} autoComplete="off" maxLength={255} required />
            </div>
            <button type="submit" className="button button-secondary" disabled={adding || draft.trim() === ''}>
              {adding ? 'Adding…' : 'Add'}
              <span className="visually-hidden"> to {team.name}</span>
            </button>
          </form>
          <div className={styles.teamFooter}>
            <ConfirmButton label="Delete team" name={`Delete team ${team.name}`} question={`Delete ${team.name}? Its members keep only their own roles.`} confirmLabel="Delete team" onConfirm={deleteTeam} />
          </div>
        </>
      ) : null}
    </section>
  );
}

/** The teams of an organization: everyone who may see the members sees them; admins manage them. */
function TeamsSection({ org, roles, canManage }: { org: string; roles: RoleInfo[]; canManage: boolean }) {
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [teams, retry] = useApi(`teams:${org}:${version}`, async () => unwrap(await api().GET('/api/v1/orgs/{org}/teams', { params: { path: { org } } })).items);
  const changed = (message: string, reload = false) => {
    setNotice(message);
    if (reload) setVersion((n) => n + 1);
  };
  return (
    <section className="card" aria-labelledby="teams">
      <h2 id="teams">Teams</h2>
      <p className="muted">Every member of a team holds at least the team’s role.</p>
      {canManage ? <CreateTeam org={org} roles={roles} onCreated={(team) => changed(`The team ${team.name} was created.`, true)} /> : null}
      <p className={styles.notice} role="status">
        {notice}
      </p>
      {teams.state === 'loading' ? <Loading label="Loading teams…" /> : null}
      {teams.state === 'error' ? <ErrorState title="Could not load the teams" message={teams.message} onRetry={retry} /> : null}
      {teams.state === 'ready' && teams.data.length === 0 ? (
        <EmptyState title="No teams">
          <p>{canManage ? 'A team gives a group of people one role, changed in one place.' : 'Organization admins create teams.'}</p>
        </EmptyState>
      ) : null}
      {teams.state === 'ready' && teams.data.length > 0 ? (
        <div className={styles.teams}>
          {teams.data.map((team) => (
            <TeamCard key={team.id} org={org} team={team} roles={roles} canManage={canManage} onChanged={changed} />
          ))}
        </div>
      ) : null}
    </section>
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
      {roles.state === 'ready' ? <TeamsSection org={org.name} roles={roleList} canManage={canManage} /> : null}
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
