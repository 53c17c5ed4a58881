'use client';

import { useId, useState } from 'react';

import { api, unwrap } from '@/lib/api';
import { useApi } from '@/lib/use-api';

import { FilterForm } from './filter-form';
import { Pager, useCursorPager } from './pager';
import { RepositoryTable } from './repository-table';
import { EmptyState, ErrorState, Loading } from './states';

type Sort = 'name' | 'pushed';

/** Repositories the user may see, optionally of one namespace: search, sort and keyset paging, all done by the API. */
export function RepositoryBrowser({ namespace, initialQuery = '' }: { namespace?: string; initialQuery?: string }) {
  const [q, setQ] = useState(initialQuery);
  const [sort, setSort] = useState<Sort>('name');
  const key = `${namespace ?? ''}|${q}|${sort}`;
  const pager = useCursorPager(key);
  const sortId = useId();
  const [page, retry] = useApi(`${key}|${pager.cursor ?? ''}`, async () =>
    unwrap(
      await api().GET('/api/v1/repositories', {
        params: {
          query: {
            limit: 25,
            sort,
            order: sort === 'pushed' ? 'desc' : 'asc',
            ...(namespace ? { namespace } : {}),
            ...(q ? { q } : {}),
            ...(pager.cursor ? { cursor: pager.cursor } : {}),
          },
        },
      }),
    ),
  );
  return (
    <div>
      <FilterForm label="Search" placeholder="Repository name" initial={initialQuery} onSubmit={setQ}>
        <div className="field" style={{ marginBottom: 0 }}>
          <label htmlFor={sortId}>Sort by</label>
          <select id={sortId} className="input" value={sort} onChange={(event) => setSort(event.target.value as Sort)}>
            <option value="name">Name</option>
            <option value="pushed">Last push</option>
          </select>
        </div>
      </FilterForm>
      {page.state === 'loading' ? <Loading label="Loading repositories…" /> : null}
      {page.state === 'error' ? <ErrorState message={page.message} onRetry={retry} /> : null}
      {page.state === 'ready' && page.data.items.length === 0 ? (
        <EmptyState title={q ? `No repository matches “${q}”` : 'No repositories yet'}>
          <p>{q ? 'Try another part of the name.' : 'Repositories appear here after the first push.'}</p>
        </EmptyState>
      ) : null}
      {page.state === 'ready' && page.data.items.length > 0 ? (
        <>
          <RepositoryTable items={page.data.items} caption={namespace ? `Repositories of ${namespace}` : 'Repositories'} />
          <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={page.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
        </>
      ) : null}
    </div>
  );
}
