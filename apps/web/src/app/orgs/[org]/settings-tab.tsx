'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { api, expectOk, unwrap, type Schema } from '@/lib/api';
import { useAction } from '@/lib/use-action';

import styles from './org.module.css';

type Organization = Schema<'OrganizationDto'>;

function GeneralSettings({ org, onChanged }: { org: Organization; onChanged: (org: Organization) => void }) {
  const [visibility, setVisibility] = useState(org.public ? 'public' : 'private');
  const [description, setDescription] = useState(org.description);
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState(false);
  const descriptionId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    return run(async () => {
      const updated = unwrap(await api().PATCH('/api/v1/orgs/{org}', { params: { path: { org: org.name } }, body: { public: visibility === 'public', description } }));
      setSaved(true);
      onChanged(updated);
    });
  };
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="general-settings">
      <h2 id="general-settings">General</h2>
      {error ? (
        <p className={styles.formError} role="alert">
          {error}
        </p>
      ) : null}
      <fieldset className="field" style={{ border: 0, padding: 0 }}>
        <legend style={{ fontWeight: 600, marginBottom: 'var(--space-2)' }}>Visibility</legend>
        <label>
          <input type="radio" name="visibility" value="private" checked={visibility === 'private'} onChange={() => setVisibility('private')} /> Private: only members see and pull its repositories
        </label>
        <label>
          <input type="radio" name="visibility" value="public" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> Public: anyone, even without signing in, may browse and pull
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={descriptionId}>Description</label>
        <textarea id={descriptionId} className="input" rows={3} value={description} maxLength={1024} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save settings'}
      </button>
      <p className={styles.notice} role="status">
        {saved ? 'Saved.' : null}
      </p>
    </form>
  );
}

function DeleteOrganization({ org }: { org: Organization }) {
  const router = useRouter();
  const [typed, setTyped] = useState('');
  const [withRepositories, setWithRepositories] = useState(false);
  const { busy, error, run } = useAction();
  const confirmId = useId();
  const holdsRepositories = org.repositoryCount > 0;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(
      async () => {
        expectOk(await api().DELETE('/api/v1/orgs/{org}', { params: { path: { org: org.name }, query: withRepositories ? { force: 'true' } : {} } }));
        router.push('/orgs');
      },
      { leaving: true },
    );
  };
  return (
    <form className={`card ${styles.danger}`} onSubmit={(event) => void submit(event)} aria-labelledby="delete-org">
      <h2 id="delete-org">Delete this organization</h2>
      <p>
        Its members, teams and robot accounts end with it. The name becomes free, and whoever takes it next inherits nothing.
        {holdsRepositories ? ` It holds ${org.repositoryCount} repositor${org.repositoryCount === 1 ? 'y' : 'ies'} you can see.` : ''}
      </p>
      {error ? (
        <p className={styles.formError} role="alert">
          {error}
        </p>
      ) : null}
      {holdsRepositories ? (
        <label className="field" style={{ flexDirection: 'row', alignItems: 'center' }}>
          <input type="checkbox" checked={withRepositories} onChange={(event) => setWithRepositories(event.target.checked)} /> Delete its repositories and their images too
        </label>
      ) : null}
      <div className="field">
        <label htmlFor={confirmId}>
          Type <code>{org.name}</code> to confirm
        </label>
        <input id={confirmId} className="input" value={typed} onChange={(event) => setTyped(event.target.value)} autoComplete="off" />
      </div>
      <button type="submit" className="button" style={{ background: 'var(--color-danger)' }} disabled={busy || typed !== org.name || (holdsRepositories && !withRepositories)}>
        {busy ? 'Deleting…' : 'Delete organization'}
      </button>
    </form>
  );
}

export function SettingsTab({ org, onChanged }: { org: Organization; onChanged: (org: Organization) => void }) {
  return (
    <>
      {org.permissions.includes('namespace:update') ? <GeneralSettings org={org} onChanged={onChanged} /> : null}
      {org.permissions.includes('namespace:delete') ? <DeleteOrganization org={org} /> : null}
    </>
  );
}
