'use client';

import Link from 'next/link';

import { Pager, useCursorPager } from '@/components/pager';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { api, unwrap } from '@/lib/api';
import { useRequiredUser } from '@/lib/session';
import { useApi } from '@/lib/use-api';

export default function OrganizationsPage() {
  const user = useRequiredUser();
  const pager = useCursorPager('orgs');
  const [orgs, retry] = useApi(user ? `orgs:${pager.cursor ?? ''}` : null, async () => unwrap(await api().GET('/api/v1/orgs', { params: { query: { limit: 50, ...(pager.cursor ? { cursor: pager.cursor } : {}) } } })));
  return (
    <>
      <title>Organizations · Wharf</title>
      <div className="page-header">
        <h1>Organizations</h1>
      </div>
      {!user || orgs.state === 'loading' ? <Loading label="Loading organizations…" /> : null}
      {orgs.state === 'error' ? <ErrorState message={orgs.message} onRetry={retry} /> : null}
      {orgs.state === 'ready' && orgs.data.items.length === 0 ? (
        <EmptyState title="No organizations">
          <p>Organizations you belong to, and public ones, appear here.</p>
        </EmptyState>
      ) : null}
      {orgs.state === 'ready' && orgs.data.items.length > 0 ? (
        <div className="card">
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">Organizations</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">My role</th>
                  <th scope="col">Visibility</th>
                  <th scope="col">Repositories</th>
                </tr>
              </thead>
              <tbody>
                {orgs.data.items.map((org) => (
                  <tr key={org.name}>
                    <td>
                      <Link href={`/orgs/${encodeURIComponent(org.name)}`}>{org.name}</Link>
                      {org.description ? <div className="muted">{org.description}</div> : null}
                    </td>
                    <td>{org.role ? <span className="badge">{org.role}</span> : <span className="muted">none</span>}</td>
                    <td>{org.public ? 'public' : 'private'}</td>
                    <td>{org.repositoryCount}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={orgs.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
        </div>
      ) : null}
    </>
  );
}
