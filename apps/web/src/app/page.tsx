'use client';

import Link from 'next/link';

import { RepositoryTable } from '@/components/repository-table';
import { SearchForm } from '@/components/search-form';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { api, unwrap } from '@/lib/api';
import { useRequiredUser } from '@/lib/session';
import { useApi } from '@/lib/use-api';

export default function HomePage() {
  const user = useRequiredUser();
  const [orgs, retryOrgs] = useApi(user ? `orgs:${user.name}` : null, async () => unwrap(await api().GET('/api/v1/orgs', { params: { query: { limit: 100 } } })).items.filter((org) => org.role !== null));
  const [recent, retryRecent] = useApi(user ? `recent:${user.name}` : null, async () => unwrap(await api().GET('/api/v1/repositories', { params: { query: { sort: 'pushed', order: 'desc', limit: 10 } } })).items);
  if (!user) return <Loading />;
  return (
    <>
      <title>Home · Wharf</title>
      <h1>Welcome, {user.name}</h1>
      <SearchForm />
      <section className="card" aria-labelledby="my-orgs">
        <div className="page-header">
          <h2 id="my-orgs">My organizations</h2>
          <Link href="/orgs">All organizations</Link>
        </div>
        {orgs.state === 'loading' ? <Loading label="Loading organizations…" /> : null}
        {orgs.state === 'error' ? <ErrorState message={orgs.message} onRetry={retryOrgs} /> : null}
        {orgs.state === 'ready' && orgs.data.length === 0 ? (
          <EmptyState title="You are not a member of any organization">
            <p>An organization admin can add you, or a system administrator can create one for you.</p>
          </EmptyState>
        ) : null}
        {orgs.state === 'ready' && orgs.data.length > 0 ? (
          <ul>
            {orgs.data.map((org) => (
              <li key={org.name}>
                <Link href={`/orgs/${encodeURIComponent(org.name)}`}>{org.name}</Link> <span className="badge">{org.role}</span> <span className="muted">{org.repositoryCount} repositories</span>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="card" aria-labelledby="recent">
        <h2 id="recent">Recently pushed</h2>
        {recent.state === 'loading' ? <Loading label="Loading repositories…" /> : null}
        {recent.state === 'error' ? <ErrorState message={recent.message} onRetry={retryRecent} /> : null}
        {recent.state === 'ready' && recent.data.length === 0 ? (
          <EmptyState title="No repositories yet">
            <p>
              Push an image: <code>docker push {typeof window === 'undefined' ? 'localhost:5000' : window.location.host}/{user.name}/app:1.0</code>
            </p>
          </EmptyState>
        ) : null}
        {recent.state === 'ready' && recent.data.length > 0 ? <RepositoryTable items={recent.data} caption="Recently pushed repositories" /> : null}
      </section>
    </>
  );
}
