'use client';

import { useRouter } from 'next/navigation';
import { useId, useState, type FormEvent } from 'react';

import { FormMessage } from '@/components/form-message';
import { OrganizationTable } from '@/components/organization-table';
import { Pager, useCursorPager } from '@/components/pager';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { api, unwrap } from '@/lib/api';
import { useViewer } from '@/lib/session';
import { useAction } from '@/lib/use-action';
import { useApi } from '@/lib/use-api';

/** Creates an organization; the creator becomes its admin and lands on its page. */
function CreateOrganization({ onCancel }: { onCancel: () => void }) {
  const router = useRouter();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [isPublic, setPublic] = useState(false);
  const { busy, error, run } = useAction();
  const nameId = useId();
  const descriptionId = useId();
  const hintId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    return run(
      async () => {
        const org = unwrap(await api().POST('/api/v1/orgs', { body: { name: name.trim(), public: isPublic, ...(description.trim() ? { description: description.trim() } : {}) } }));
        router.push(`/orgs/${encodeURIComponent(org.name)}`);
      },
      { leaving: true },
    );
  };
  return (
    <form className="card" onSubmit={(event) => void submit(event)} aria-labelledby="create-org">
      <h2 id="create-org">New organization</h2>
      <FormMessage error={error} />
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input id={nameId} className="input" value={name} onChange={(event) => setName(event.target.value)} aria-describedby={hintId} autoComplete="off" maxLength={255} required autoFocus />
        <span id={hintId} className="muted">
          Lower-case letters, digits and . _ -; the first part of its repository names (<code>{name.trim() || 'name'}/app</code>). Users and organizations share one name space.
        </span>
      </div>
      <div className="field">
        <label htmlFor={descriptionId}>Description (optional)</label>
        <input id={descriptionId} className="input" value={description} onChange={(event) => setDescription(event.target.value)} maxLength={1024} />
      </div>
      <label className="field" style={{ flexDirection: 'row', alignItems: 'center' }}>
        <input type="checkbox" checked={isPublic} onChange={(event) => setPublic(event.target.checked)} /> Public: anyone, even without signing in, may browse and pull
      </label>
      <div className="toolbar" style={{ marginBottom: 0 }}>
        <button type="submit" className="button" disabled={busy || name.trim() === ''}>
          {busy ? 'Creating…' : 'Create organization'}
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export default function OrganizationsPage() {
  const [creating, setCreating] = useState(false);
  // Visitors see the public organizations, and create none.
  const viewer = useViewer();
  const pager = useCursorPager('orgs');
  const [orgs, retry] = useApi(viewer !== undefined ? `orgs:${pager.cursor ?? ''}` : null, async () => unwrap(await api().GET('/api/v1/orgs', { params: { query: { limit: 50, ...(pager.cursor ? { cursor: pager.cursor } : {}) } } })));
  return (
    <>
      <title>Organizations · Wharf</title>
      <div className="page-header">
        <h1>Organizations</h1>
        {viewer && !creating ? (
          <button type="button" className="button" onClick={() => setCreating(true)}>
            New organization
          </button>
        ) : null}
      </div>
      {creating ? <CreateOrganization onCancel={() => setCreating(false)} /> : null}
      {viewer === undefined || orgs.state === 'loading' ? <Loading label="Loading organizations…" /> : null}
      {orgs.state === 'error' ? <ErrorState message={orgs.message} onRetry={retry} /> : null}
      {orgs.state === 'ready' && orgs.data.items.length === 0 ? (
        <EmptyState title="No organizations">
          <p>Organizations you belong to, and public ones, appear here.</p>
        </EmptyState>
      ) : null}
      {orgs.state === 'ready' && orgs.data.items.length > 0 ? (
        <div className="card">
          <OrganizationTable items={orgs.data.items} caption="Organizations" variant="mine" />
          <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={orgs.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
        </div>
      ) : null}
    </>
  );
}
