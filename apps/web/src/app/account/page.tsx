'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyButton } from '@/components/copy-button';
import { expiresAt, ExpiryField, initialExpiry, type Expiry } from '@/components/expiry-field';
import { FormMessage } from '@/components/form-message';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { api, expectOk, unwrap, type Schema } from '@/lib/api';
import { useRequiredUser } from '@/lib/session';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

import styles from './account.module.css';

type Token = Schema<'PersonalTokenDto'>;
type Scope = Token['scope'];

const SCOPES: { value: Scope; label: string }[] = [
  { value: 'read', label: 'Read: pull and browse' },
  { value: 'read-write', label: 'Read and write: also push' },
  { value: 'read-write-delete', label: 'Read, write and delete: also delete tags and artifacts' },
];

function ChangePassword() {
  const router = useRouter();
  const currentId = useId();
  const newId = useId();
  const repeatId = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const { busy, error, setError, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) return setError('The two new passwords differ.');
    return run(
      async () => {
        expectOk(await api().PUT('/api/v1/me/password', { body: { currentPassword: current, newPassword: next } }));
        // Every session ends, this one too: sign in again with the new password.
        router.push(`/sign-in?next=${encodeURIComponent('/account')}&changed=1`);
      },
      { leaving: true },
    );
  };
  return (
    <section className="card" aria-labelledby="password">
      <h2 id="password">Change password</h2>
      <p className="muted">Changing it signs you out everywhere, and ends every docker login made with the old one. Personal access tokens keep working.</p>
      <form onSubmit={(event) => void submit(event)} className={styles.form}>
        <FormMessage error={error} />
        <div className="field">
          <label htmlFor={currentId}>Current password</label>
          <input id={currentId} className="input" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={newId}>New password</label>
          <input id={newId} className="input" type="password" autoComplete="new-password" required minLength={8} value={next} onChange={(e) => setNext(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={repeatId}>New password, again</label>
          <input id={repeatId} className="input" type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
        </div>
        <button type="submit" className="button" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}

function splitList(value: string): string[] | undefined {
  const items = value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function CreateToken({ onCreated }: { onCreated: (token: Schema<'CreatedPersonalTokenDto'>) => void }) {
  const nameId = useId();
  const scopeId = useId();
  const namespacesId = useId();
  const repositoriesId = useId();
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('read');
  const [expiry, setExpiry] = useState<Expiry>(initialExpiry(30));
  const [namespaces, setNamespaces] = useState('');
  const [repositories, setRepositories] = useState('');
  const { busy, error, run } = useAction();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      const ns = splitList(namespaces);
      const repos = splitList(repositories);
      const created = unwrap(await api().POST('/api/v1/me/tokens', { body: { name: name.trim(), scope, expiresAt: expiresAt(expiry) ?? null, ...(ns ? { namespaces: ns } : {}), ...(repos ? { repositories: repos } : {}) } }));
      setName('');
      setNamespaces('');
      setRepositories('');
      onCreated(created);
    });
  };
  return (
    <form onSubmit={(event) => void submit(event)} className={styles.form} aria-labelledby="new-token">
      <h3 id="new-token">New token</h3>
      <FormMessage error={error} />
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} className="input" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} placeholder="laptop" aria-describedby={`${nameId}-hint`} />
        <span id={`${nameId}-hint`} className="muted">
          Letters, digits, spaces, . _ -
        </span>
      </div>
      <div className="field">
        <label htmlFor={scopeId}>Scope</label>
        <select id={scopeId} className="input" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
          {SCOPES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <ExpiryField label="Expires after" value={expiry} onChange={setExpiry} />
      <div className="field">
        <label htmlFor={namespacesId}>Only these organizations (optional)</label>
        <input id={namespacesId} className="input" value={namespaces} onChange={(e) => setNamespaces(e.target.value)} placeholder="acme, tools" />
      </div>
      <div className="field">
        <label htmlFor={repositoriesId}>Only repositories matching (optional)</label>
        <input id={repositoriesId} className="input" value={repositories} onChange={(e) => setRepositories(e.target.value)} placeholder="acme/app/*" />
      </div>
      <button type="submit" className="button" disabled={busy || name.trim() === ''}>
        {busy ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}

function NewSecret({ token, onDone }: { token: Schema<'CreatedPersonalTokenDto'>; onDone: () => void }) {
  return (
    <div className={styles.secret} role="region" aria-labelledby="secret-title">
      <h3 id="secret-title">Token “{token.name}” created</h3>
      <p>Copy the secret now: Wharf keeps only a hash of it and cannot show it again. Use it as the password of <code>docker login</code>, or as a Bearer token.</p>
      <div className={styles.secretValue}>
        <code>{token.secret}</code>
        <CopyButton text={token.secret} label="Copy the token secret" />
      </div>
      <button type="button" className="button button-secondary button-small" onClick={onDone}>
        I have copied it
      </button>
    </div>
  );
}

function scopeText(token: Token): string {
  const limits = [token.namespaces?.length ? `in ${token.namespaces.join(', ')}` : null, token.repositories?.length ? `matching ${token.repositories.join(', ')}` : null].filter(Boolean);
  return [token.scope, ...limits].join(' ');
}

function Tokens() {
  const [version, setVersion] = useState(0);
  const [created, setCreated] = useState<Schema<'CreatedPersonalTokenDto'> | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);
  const [tokens, retry] = useApi(`tokens:${version}`, async () => unwrap(await api().GET('/api/v1/me/tokens')));
  const revoke = async (token: Token) => {
    expectOk(await api().DELETE('/api/v1/me/tokens/{id}', { params: { path: { id: token.id } } }));
    setVersion((n) => n + 1);
  };
  return (
    <section className="card" aria-labelledby="tokens">
      <h2 id="tokens">Personal access tokens</h2>
      <p className="muted">For docker login, CI and scripts: a token acts as you, within its scope, and can be revoked on its own.</p>
      {created ? <NewSecret token={created} onDone={() => setCreated(null)} /> : null}
      {tokens.state === 'loading' ? <Loading label="Loading tokens…" /> : null}
      {tokens.state === 'error' ? <ErrorState message={tokens.message} onRetry={retry} /> : null}
      {tokens.state === 'ready' && tokens.data.items.length === 0 ? (
        <EmptyState title="No tokens yet">
          <p>Create one below to log in with docker without your password.</p>
        </EmptyState>
      ) : null}
      {tokens.state === 'ready' && tokens.data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">My personal access tokens</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Scope</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.data.items.map((token) => (
                <tr key={token.id}>
                  <td>{token.name}</td>
                  <td>{scopeText(token)}</td>
                  <td>
                    <TimeAgo at={token.createdAt} />
                  </td>
                  <td><TimeAgo at={token.expiresAt} never="never" /></td>
                  <td><TimeAgo at={token.lastUsedAt} /></td>
                  <td>
                    <button type="button" className="button button-secondary button-small" onClick={() => setRevoking(token)}>
                      Revoke<span className="visually-hidden"> {token.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {revoking ? (
        <ConfirmDialog title={`Revoke the token ${revoking.name}?`} confirmLabel="Revoke token" onConfirm={() => revoke(revoking)} onClose={() => setRevoking(null)}>
          <p>Anything using it (docker logins, CI jobs, scripts) stops working at once.</p>
        </ConfirmDialog>
      ) : null}
      <CreateToken
        onCreated={(token) => {
          setCreated(token);
          setVersion((n) => n + 1);
        }}
      />
    </section>
  );
}

export default function AccountPage() {
  const user = useRequiredUser();
  return (
    <>
      <title>Account · Wharf</title>
      <h1>Account</h1>
      {!user ? <Loading label="Loading your account…" /> : null}
      {user ? (
        <>
          <p className="muted">
            Signed in as <strong>{user.name}</strong>
            {user.admin ? ' · system administrator' : ''}
          </p>
          <Tokens />
          <ChangePassword />
        </>
      ) : null}
    </>
  );
}
