'use client';

import Link from 'next/link';
import { useParams, useSearchParams } from 'next/navigation';
import { Suspense, useState } from 'react';

import { RepositoryBrowser } from '@/components/repository-browser';
import { ErrorState, Loading } from '@/components/states';
import { TabNav } from '@/components/tab-nav';
import { api, unwrap, type Schema } from '@/lib/api';
import { useViewer } from '@/lib/session';
import { useApi } from '@/lib/use-api';

import { MembersTab } from './members-tab';
import { RobotsTab } from './robots-tab';
import { SettingsTab } from './settings-tab';
import { UsageTab } from './usage-tab';

type Organization = Schema<'OrganizationDto'>;
type Tab = 'repositories' | 'members' | 'robots' | 'settings' | 'usage';

/** The tabs the caller may open: a tab whose content they may not read is not offered. */
function tabsFor(org: Organization): { id: Tab; label: string }[] {
  const may = (permission: Organization['permissions'][number]) => org.permissions.includes(permission);
  return [
    { id: 'repositories' as const, label: `Repositories (${org.repositoryCount})`, show: true },
    { id: 'members' as const, label: 'Members and teams', show: may('member:read') },
    { id: 'robots' as const, label: 'Robot accounts', show: may('robot:read') },
    { id: 'usage' as const, label: 'Usage', show: may('namespace:read') },
    { id: 'settings' as const, label: 'Settings', show: may('namespace:update') || may('namespace:delete') },
  ].filter((tab) => tab.show);
}

function OrganizationView() {
  const params = useParams<{ org: string }>();
  const search = useSearchParams();
  const name = decodeURIComponent(params.org);
  // Anyone may read a public organization's page: visitors too.
  const sessionKnown = useViewer() !== undefined;
  const [org, retry] = useApi(sessionKnown ? `org:${name}` : null, async () => unwrap(await api().GET('/api/v1/orgs/{org}', { params: { path: { org: name } } })));
  // Settings saved on this page: shown at once, without reloading (and unmounting) the tabs.
  const [saved, setSaved] = useState<Organization | null>(null);
  const requested = search.get('tab') ?? 'repositories';
  const base = `/orgs/${encodeURIComponent(name)}`;
  return (
    <>
      <title>{`${name} · Wharf`}</title>
      <nav aria-label="Breadcrumb" className="muted">
        <Link href="/orgs">Organizations</Link> / {name}
      </nav>
      {!sessionKnown || org.state === 'loading' ? <Loading label="Loading the organization…" /> : null}
      {org.state === 'error' ? (
        <>
          <h1>{name}</h1>
          <ErrorState title={org.status === 404 ? 'Organization not found' : 'Could not load the organization'} message={org.status === 404 ? `There is no organization “${name}”, or you may not see it.` : org.message} onRetry={org.status === 404 ? undefined : retry} />
        </>
      ) : null}
      {org.state === 'ready'
        ? (() => {
            const data = saved?.name === org.data.name ? saved : org.data;
            const tabs = tabsFor(data);
            const tab = (tabs.find((t) => t.id === requested) ?? tabs[0]).id;
            return (
              <>
                <div className="page-header">
                  <h1>{data.name}</h1>
                  <div>
                    <span className="badge">{data.public ? 'public' : 'private'}</span> {data.role ? <span className="badge">your role: {data.role}</span> : null}
                  </div>
                </div>
                {data.description ? <p>{data.description}</p> : null}
                <TabNav label="Organization sections" tabs={tabs.map((t) => ({ ...t, href: t.id === 'repositories' ? base : `${base}?tab=${t.id}` }))} current={tab} />
                {tab === 'repositories' ? (
                  <section className="card" aria-labelledby="repositories">
                    <h2 id="repositories">Repositories</h2>
                    <RepositoryBrowser namespace={data.name} />
                  </section>
                ) : null}
                {tab === 'members' ? <MembersTab org={data} /> : null}
                {tab === 'robots' ? <RobotsTab org={data} /> : null}
                {tab === 'usage' ? <UsageTab org={data} /> : null}
                {tab === 'settings' ? <SettingsTab org={data} onChanged={setSaved} /> : null}
              </>
            );
          })()
        : null}
    </>
  );
}

export default function OrganizationPage() {
  return (
    <Suspense fallback={<Loading label="Loading the organization…" />}>
      <OrganizationView />
    </Suspense>
  );
}
