'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';

import { RepositoryBrowser } from '@/components/repository-browser';
import { ErrorState, Loading } from '@/components/states';
import { api, unwrap } from '@/lib/api';
import { useRequiredUser } from '@/lib/session';
import { useApi } from '@/lib/use-api';

export default function OrganizationPage() {
  const params = useParams<{ org: string }>();
  const name = decodeURIComponent(params.org);
  const user = useRequiredUser();
  const [org, retry] = useApi(user ? `org:${name}` : null, async () => unwrap(await api().GET('/api/v1/orgs/{org}', { params: { path: { org: name } } })));
  return (
    <>
      <title>{`${name} · Wharf`}</title>
      <nav aria-label="Breadcrumb" className="muted">
        <Link href="/orgs">Organizations</Link> / {name}
      </nav>
      {!user || org.state === 'loading' ? <Loading label="Loading the organization…" /> : null}
      {org.state === 'error' ? (
        <>
          <h1>{name}</h1>
          <ErrorState title={org.status === 404 ? 'Organization not found' : 'Could not load the organization'} message={org.status === 404 ? `There is no organization “${name}”, or you may not see it.` : org.message} onRetry={org.status === 404 ? undefined : retry} />
        </>
      ) : null}
      {org.state === 'ready' ? (
        <>
          <div className="page-header">
            <h1>{org.data.name}</h1>
            <div>
              <span className="badge">{org.data.public ? 'public' : 'private'}</span> {org.data.role ? <span className="badge">your role: {org.data.role}</span> : null}
            </div>
          </div>
          {org.data.description ? <p>{org.data.description}</p> : null}
          <section className="card" aria-labelledby="repositories">
            <h2 id="repositories">Repositories ({org.data.repositoryCount})</h2>
            <RepositoryBrowser namespace={org.data.name} />
          </section>
        </>
      ) : null}
    </>
  );
}
