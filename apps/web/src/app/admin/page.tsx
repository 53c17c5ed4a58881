'use client';

import { useSearchParams } from 'next/navigation';
import { Suspense, useId, useState, type FormEvent } from 'react';

import { ConfirmDialog } from '@/components/confirm-dialog';
import { FilterForm } from '@/components/filter-form';
import { FormMessage } from '@/components/form-message';
import { OrganizationTable } from '@/components/organization-table';
import { Pager, useCursorPager } from '@/components/pager';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { TabNav } from '@/components/tab-nav';
import { TimeAgo } from '@/components/time-ago';
import { api, expectOk, unwrap, type Schema } from '@/lib/api';
import { useRequiredUser } from '@/lib/session';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

import styles from './admin.module.css';

type User = Schema<'UserDto'>;
type Change = 'disable' | 'enable' | 'grant' | 'revoke' | 'delete';

/** The self-registration switch: PUT /api/v1/system/settings. */
function Settings() {
  const [system, retry] = useApi('system', async () => unwrap(await api().GET('/api/v1/system')));
  const [override, setOverride] = useState<boolean | null>(null);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<string | null>(null);
  const current = override ?? (system.state === 'ready' ? system.data.selfRegistration : false);
  const toggle = () => {
    setSaved(null);
    return run(async () => {
      const next = !current;
      expectOk(await api().PUT('/api/v1/system/settings', { body: { selfRegistration: next } }));
      setOverride(next);
      setSaved(next ? 'Self-registration is on: anyone may create an account.' : 'Self-registration is off: only administrators create accounts.');
    });
  };
  return (
    <section className="card" aria-labelledby="settings">
      <h2 id="settings">Settings</h2>
      {system.state === 'loading' ? <Loading label="Loading the settings…" /> : null}
      {system.state === 'error' ? <ErrorState message={system.message} onRetry={retry} /> : null}
      {system.state === 'ready' ? (
        <>
          <FormMessage error={error} success={saved} />
          <div className={styles.switchRow}>
            <button type="button" role="switch" aria-checked={current} className={styles.switch} onClick={() => void toggle()} disabled={busy} aria-describedby="self-registration-hint">
              <span className={styles.track} aria-hidden="true">
                <span className={styles.thumb} />
              </span>
              Self-registration
            </button>
            <span id="self-registration-hint" className="muted">
              When on, anyone who reaches Wharf may create an account (and its personal namespace).
            </span>
          </div>
        </>
      ) : null}
    </section>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: User) => void }) {
  const nameId = useId();
  const emailId = useId();
  const passwordId = useId();
  const adminId = useId();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [admin, setAdmin] = useState(false);
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const user = unwrap(await api().POST('/api/v1/users', { body: { name: name.trim(), password, admin, ...(email.trim() ? { email: email.trim() } : {}) } }));
      setName('');
      setEmail('');
      setPassword('');
      setAdmin(false);
      onCreated(user);
    });
  };
  return (
    <form onSubmit={(event) => void submit(event)} className={styles.form} aria-labelledby="new-user">
      <h3 id="new-user">New user</h3>
      <FormMessage error={error} />
      <div className="field">
        <label htmlFor={nameId}>User name</label>
        <input id={nameId} className="input" required autoComplete="off" value={name} onChange={(e) => setName(e.target.value)} aria-describedby={`${nameId}-hint`} />
        <span id={`${nameId}-hint`} className="muted">
          Lower-case letters, digits and . _ -; also the user’s personal namespace.
        </span>
      </div>
      <div className="field">
        <label htmlFor={emailId}>Email (optional)</label>
        <input id={emailId} className="input" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={passwordId}>Initial password</label>
        <input id={passwordId} className="input" type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />
      </div>
      <div className={styles.checkbox}>
        <input id={adminId} type="checkbox" checked={admin} onChange={(e) => setAdmin(e.target.checked)} />
        <label htmlFor={adminId}>System administrator</label>
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Creating…' : 'Create user'}
      </button>
    </form>
  );
}

function Users({ self }: { self: string }) {
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ user: User; change: Change } | null>(null);
  const pager = useCursorPager(`users|${q}`);
  const [page, retry] = useApi(`users|${q}|${pager.cursor ?? ''}|${version}`, async () =>
    unwrap(await api().GET('/api/v1/users', { params: { query: { limit: 50, ...(q ? { q } : {}), ...(pager.cursor ? { cursor: pager.cursor } : {}) } } })),
  );
  const apply = async (user: User, change: Change) => {
    setError(null);
    if (change === 'delete') {
      expectOk(await api().DELETE('/api/v1/users/{name}', { params: { path: { name: user.name } } }));
      setNotice(`${user.name} was deleted.`);
      setVersion((n) => n + 1);
      return;
    }
    const body = change === 'disable' ? { disabled: true } : change === 'enable' ? { disabled: false } : { admin: change === 'grant' };
    const updated = unwrap(await api().PATCH('/api/v1/users/{name}', { params: { path: { name: user.name } }, body }));
    setNotice(
      change === 'disable'
        ? `${updated.name} is disabled and signed out everywhere.`
        : change === 'enable'
          ? `${updated.name} may sign in again.`
          : change === 'grant'
            ? `${updated.name} is now a system administrator.`
            : `${updated.name} is no longer a system administrator.`,
    );
    setVersion((n) => n + 1);
  };
  const questions = {
    disable: (u: User) => ({ title: `Disable ${u.name}?`, body: 'They are signed out at once, and their docker logins and personal access tokens stop working.', label: 'Disable user' }),
    enable: (u: User) => ({ title: `Enable ${u.name}?`, body: 'They may sign in and use their tokens again.', label: 'Enable user' }),
    grant: (u: User) => ({ title: `Make ${u.name} a system administrator?`, body: 'Administrators see and manage every organization, repository and user of this Wharf.', label: 'Make admin' }),
    revoke: (u: User) => ({ title: `Remove ${u.name}’s administration rights?`, body: 'They keep their organization roles.', label: 'Remove admin' }),
    delete: (u: User) => ({
      title: `Delete ${u.name}?`,
      body: `Their personal namespace ${u.name} goes with them, with its repositories and images; their sessions, tokens and organization memberships end. This cannot be undone.`,
      label: 'Delete user',
    }),
  } satisfies Record<Change, (u: User) => { title: string; body: string; label: string }>;
  return (
    <section className="card" aria-labelledby="users">
      <h2 id="users">Users</h2>
      <FilterForm label="Find users" placeholder="Name or email" onSubmit={setQ} />
      <FormMessage error={error} success={notice} />
      {page.state === 'loading' ? <Loading label="Loading users…" /> : null}
      {page.state === 'error' ? <ErrorState message={page.message} onRetry={retry} /> : null}
      {page.state === 'ready' && page.data.items.length === 0 ? <EmptyState title={q ? `No user matches “${q}”` : 'No users'} /> : null}
      {page.state === 'ready' && page.data.items.length > 0 ? (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Users</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((user) => (
                  <tr key={user.id}>
                    <td>{user.name}</td>
                    <td>{user.email ?? <span className="muted">—</span>}</td>
                    <td>
                      {user.admin ? <span className="badge">admin</span> : null} {user.disabled ? <span className={`badge ${styles.disabled}`}>disabled</span> : <span className="muted">active</span>}
                    </td>
                    <td><TimeAgo at={user.lastLoginAt} /></td>
                    <td>
                      {user.name === self ? (
                        <span className="muted">you</span>
                      ) : (
                        <span className={styles.actions}>
                          <button type="button" className="button button-secondary button-small" onClick={() => setConfirming({ user, change: user.disabled ? 'enable' : 'disable' })}>
                            {user.disabled ? 'Enable' : 'Disable'}
                            <span className="visually-hidden"> {user.name}</span>
                          </button>
                          <button type="button" className="button button-secondary button-small" onClick={() => setConfirming({ user, change: user.admin ? 'revoke' : 'grant' })}>
                            {user.admin ? 'Remove admin' : 'Make admin'}
                            <span className="visually-hidden"> {user.name}</span>
                          </button>
                          <button type="button" className="button button-secondary button-small" onClick={() => setConfirming({ user, change: 'delete' })}>
                            Delete
                            <span className="visually-hidden"> {user.name}</span>
                          </button>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={page.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
        </>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={questions[confirming.change](confirming.user).title}
          confirmLabel={questions[confirming.change](confirming.user).label}
          onConfirm={() => apply(confirming.user, confirming.change)}
          onClose={() => setConfirming(null)}
        >
          <p>{questions[confirming.change](confirming.user).body}</p>
        </ConfirmDialog>
      ) : null}
      <CreateUser
        onCreated={(user) => {
          setNotice(`Created ${user.name}${user.admin ? ', a system administrator' : ''}.`);
          setVersion((n) => n + 1);
        }}
      />
    </section>
  );
}

/** Every organization, for system administrators: searchable, each linked to its page. */
function Organizations() {
  const [q, setQ] = useState('');
  const pager = useCursorPager(`admin-orgs|${q}`);
  const [page, retry] = useApi(`admin-orgs|${q}|${pager.cursor ?? ''}`, async () =>
    unwrap(await api().GET('/api/v1/orgs', { params: { query: { limit: 50, ...(q ? { q } : {}), ...(pager.cursor ? { cursor: pager.cursor } : {}) } } })),
  );
  return (
    <section className="card" aria-labelledby="organizations">
      <h2 id="organizations">Organizations</h2>
      <p className="muted">Every organization of this Wharf, private ones too. Open one to manage its members, robots and settings.</p>
      <FilterForm label="Find organizations" placeholder="Part of the name" onSubmit={setQ} />
      {page.state === 'loading' ? <Loading label="Loading organizations…" /> : null}
      {page.state === 'error' ? <ErrorState message={page.message} onRetry={retry} /> : null}
      {page.state === 'ready' && page.data.items.length === 0 ? (
        <EmptyState title={q ? `No organization matches “${q}”` : 'No organizations yet'}>
          <p>{q ? 'Try another part of the name.' : 'Organizations created by anyone appear here.'}</p>
        </EmptyState>
      ) : null}
      {page.state === 'ready' && page.data.items.length > 0 ? (
        <>
          <OrganizationTable items={page.data.items} caption="All organizations" variant="admin" />
          <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={page.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
        </>
      ) : null}
    </section>
  );
}

const TABS = [
  { id: 'users', label: 'Users', href: '/admin' },
  { id: 'organizations', label: 'Organizations', href: '/admin?tab=organizations' },
  { id: 'settings', label: 'Settings', href: '/admin?tab=settings' },
] as const;

function Administration() {
  const user = useRequiredUser();
  const requested = useSearchParams().get('tab');
  const tab = TABS.find((t) => t.id === requested)?.id ?? 'users';
  return (
    <>
      <title>Administration · Wharf</title>
      <h1>Administration</h1>
      {!user ? <Loading label="Loading…" /> : null}
      {user && !user.admin ? <ErrorState title="For system administrators" message="Only a system administrator may manage users, organizations and settings." /> : null}
      {user?.admin ? (
        <>
          <TabNav label="Administration sections" tabs={TABS} current={tab} />
          {tab === 'users' ? <Users self={user.name} /> : null}
          {tab === 'organizations' ? <Organizations /> : null}
          {tab === 'settings' ? <Settings /> : null}
        </>
      ) : null}
    </>
  );
}

export default function AdminPage() {
  return (
    <Suspense fallback={<Loading label="Loading…" />}>
      <Administration />
    </Suspense>
  );
}
