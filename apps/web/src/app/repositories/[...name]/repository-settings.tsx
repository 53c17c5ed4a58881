'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { ConfirmDialog } from '@/components/confirm-dialog';
import { FormMessage } from '@/components/form-message';
import { api, expectOk, unwrap, type Schema } from '@/lib/api';
import { useAction } from '@/lib/use-action';

type Repository = Schema<'RepositoryDto'>;

/**
 * What the caller may change about a repository: its description (developers and up) and
 * whether it exists (maintainers and up). Not shown to those who may do neither.
 */
export function RepositorySettings({ repository, onSaved }: { repository: Repository; onSaved: (updated: Repository) => void }) {
  const may = (permission: NonNullable<Repository['permissions']>[number]) => repository.permissions?.includes(permission) ?? false;
  if (!may('repository:update') && !may('repository:delete')) return null;
  return (
    <section className="card" aria-labelledby="repository-settings">
      <h2 id="repository-settings">Settings</h2>
      {may('repository:update') ? <DescriptionForm repository={repository} onSaved={onSaved} /> : null}
      {may('repository:delete') ? <DeleteRepository name={repository.name} /> : null}
    </section>
  );
}

function DescriptionForm({ repository, onSaved }: { repository: Repository; onSaved: (updated: Repository) => void }) {
  const [description, setDescription] = useState(repository.description ?? '');
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, error, run } = useAction();
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(null);
    return run(async () => {
      const updated = unwrap(await api().PATCH('/api/v1/repositories/{name}', { params: { path: { name: repository.name } }, body: { description } }));
      setSaved('Description saved.');
      onSaved(updated);
    });
  };
  return (
    <form onSubmit={(event) => void submit(event)}>
      <FormMessage error={error} success={saved} />
      <div className="field">
        <label htmlFor={id}>Description (Markdown)</label>
        <textarea id={id} className="input" rows={6} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <button type="submit" className="button" disabled={busy}>
        {busy ? 'Saving…' : 'Save description'}
      </button>
    </form>
  );
}

function DeleteRepository({ name }: { name: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const namespace = name.split('/')[0]!;
  const remove = async () => {
    expectOk(await api().DELETE('/api/v1/repositories/{name}', { params: { path: { name } } }));
    router.push(`/orgs/${encodeURIComponent(namespace)}`);
  };
  return (
    <div style={{ marginTop: 'var(--space-5)' }}>
      <h3>Delete this repository</h3>
      <p className="muted">Every tag and artifact of {name} goes with it; nothing of it pulls any more.</p>
      <button type="button" className="button" style={{ background: 'var(--color-danger)' }} onClick={() => setConfirming(true)}>
        Delete repository
      </button>
      {confirming ? (
        <ConfirmDialog title={`Delete the repository ${name}?`} confirmLabel="Delete repository" onConfirm={remove} onClose={() => setConfirming(false)}>
          <p>
            Its tags, artifacts and unfinished uploads are deleted now, and cannot be restored. The storage its blobs take is not freed (Wharf has no garbage collector yet).
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
