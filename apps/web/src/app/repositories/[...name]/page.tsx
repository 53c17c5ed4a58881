'use client';

import Link from 'next/link';
import { useParams } from 'next/navigation';
import { useEffect, useState } from 'react';

import { ConfirmDialog } from '@/components/confirm-dialog';
import { CopyButton } from '@/components/copy-button';
import { FilterForm } from '@/components/filter-form';
import { Markdown } from '@/components/markdown';
import { Pager, useCursorPager } from '@/components/pager';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { api, unwrap, type Schema } from '@/lib/api';
import { artifactHref, parseRepositoryRoute } from '@/lib/artifact-href';
import { formatBytes, shortDigest } from '@/lib/format';
import { useViewer } from '@/lib/session';
import { useApi } from '@/lib/use-api';

import { ArtifactView } from './artifact-view';
import { RepositorySettings } from './repository-settings';
import styles from './repository.module.css';

type TagSort = 'name' | 'pushed' | 'size';
type Order = 'asc' | 'desc';

const COLUMNS: { key: TagSort | null; label: string }[] = [
  { key: 'name', label: 'Tag' },
  { key: null, label: 'Digest' },
  { key: 'size', label: 'Size' },
  { key: null, label: 'Platforms' },
  { key: 'pushed', label: 'Pushed' },
  { key: null, label: 'Last pulled' },
];

/** The commands that pull `reference` from this registry, as the page's origin reaches it. */
function pullCommands(reference: string): { client: string; command: string }[] {
  const insecure = typeof window !== 'undefined' && window.location.protocol === 'http:';
  return [
    { client: 'docker', command: `docker pull ${reference}` },
    { client: 'podman', command: `podman pull ${insecure ? '--tls-verify=false ' : ''}${reference}` },
    { client: 'crane', command: `crane pull ${insecure ? '--insecure ' : ''}${reference} image.tar` },
  ];
}

function PullCommands({ repository, tag }: { repository: string; tag: string }) {
  const [host, setHost] = useState('localhost:5000');
  useEffect(() => setHost(window.location.host), []);
  const reference = `${host}/${repository}:${tag}`;
  return (
    <section className="card" aria-labelledby="pull">
      <h2 id="pull">Pull {tag}</h2>
      <ul className={styles.commands}>
        {pullCommands(reference).map(({ client, command }) => (
          <li key={client}>
            <span className={styles.client}>{client}</span>
            <code className={styles.command}>{command}</code>
            <CopyButton text={command} label={`Copy the ${client} pull command`} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Platforms({ tag }: { tag: Schema<'TagDto'> }) {
  if (tag.platforms.length === 0) return <span className="muted">—</span>;
  return <>{tag.platforms.map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/')).join(', ')}</>;
}

/** `hidden` while the repository itself loads: the first page is fetched already, shown with it. */
function TagsTable({ repository, hidden, canDelete, onDeleted }: { repository: string; hidden: boolean; canDelete: boolean; onDeleted: () => void }) {
  const [sort, setSort] = useState<TagSort>('pushed');
  const [order, setOrder] = useState<Order>('desc');
  const [q, setQ] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Schema<'TagDto'> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const key = `${repository}|${sort}|${order}|${q}`;
  const pager = useCursorPager(key);
  const [page, retry] = useApi(`${key}|${pager.cursor ?? ''}`, async () =>
    unwrap(
      await api().GET('/api/v1/repositories/{name}/tags', {
        params: { path: { name: repository }, query: { limit: 50, sort, order, ...(q ? { q } : {}), ...(pager.cursor ? { cursor: pager.cursor } : {}) } },
      }),
    ),
  );
  const sortBy = (column: TagSort) => {
    if (column === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(column);
      setOrder(column === 'name' ? 'asc' : 'desc');
    }
  };
  const deleteTag = async (tag: Schema<'TagDto'>) => {
    const result = await api().DELETE('/api/v1/repositories/{name}/tags/{tag}', { params: { path: { name: repository, tag: tag.name } } });
    if (!result.response.ok) unwrap(result as { data?: unknown; error?: unknown; response: Response });
    setNotice(`Deleted the tag ${tag.name}. The image stays until no tag or referrer points at it.`);
    if (selected === tag.name) setSelected(null);
    retry();
    onDeleted();
  };
  const items = page.state === 'ready' ? page.data.items : [];
  const pullTag = selected ?? items.find((t) => t.name === 'latest')?.name ?? items[0]?.name ?? null;
  if (hidden) return null;
  return (
    <>
      {pullTag ? <PullCommands repository={repository} tag={pullTag} /> : null}
      <section className="card" aria-labelledby="tags">
        <h2 id="tags">Tags</h2>
        <FilterForm label="Filter tags" placeholder="Tag name" button="Filter" maxLength={128} onSubmit={setQ} />
        {notice ? (
          <p role="status" className={styles.notice}>
            {notice}
          </p>
        ) : null}
        {deleting ? (
          <ConfirmDialog title={`Delete the tag ${deleting.name}?`} confirmLabel="Delete tag" onConfirm={() => deleteTag(deleting)} onClose={() => setDeleting(null)}>
            <p>
              <code>
                {repository}:{deleting.name}
              </code>{' '}
              will no longer pull. Its manifest <code>{shortDigest(deleting.digest)}</code> stays, reachable by digest; deleting a tag frees no storage.
            </p>
          </ConfirmDialog>
        ) : null}
        {page.state === 'loading' ? <Loading label="Loading tags…" /> : null}
        {page.state === 'error' ? <ErrorState message={page.message} onRetry={retry} /> : null}
        {page.state === 'ready' && items.length === 0 ? (
          <EmptyState title={q ? `No tag matches “${q}”` : 'No tags'}>
            <p>{q ? 'Try another part of the tag name.' : 'Push an image with a tag to see it here.'}</p>
          </EmptyState>
        ) : null}
        {page.state === 'ready' && items.length > 0 ? (
          <>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Tags of {repository}, sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}</caption>
                <thead>
                  <tr>
                    {COLUMNS.map((column) => (
                      <th key={column.label} scope="col" aria-sort={column.key === sort ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
                        {column.key ? (
                          <button type="button" className={styles.sort} onClick={() => sortBy(column.key!)}>
                            {column.label}
                            <span aria-hidden="true">{column.key === sort ? (order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                          </button>
                        ) : (
                          column.label
                        )}
                      </th>
                    ))}
                    {canDelete ? (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {items.map((tag) => (
                    <tr key={tag.name}>
                      <td>
                        <span className="mono">{tag.name}</span>{' '}
                        <button type="button" className={styles.link} onClick={() => setSelected(tag.name)} aria-pressed={pullTag === tag.name}>
                          pull command<span className="visually-hidden"> for {tag.name}</span>
                        </button>
                      </td>
                      <td>
                        <span className={styles.digest}>
                          <Link href={artifactHref(repository, tag.digest)} aria-label={`Artifact ${shortDigest(tag.digest)} of ${tag.name}`}>
                            <code title={tag.digest}>{shortDigest(tag.digest)}</code>
                          </Link>
                          <CopyButton text={tag.digest} label={`Copy the digest of ${tag.name}`} />
                        </span>
                      </td>
                      <td>{formatBytes(tag.size)}</td>
                      <td>
                        <Platforms tag={tag} />
                      </td>
                      <td>
                        <TimeAgo at={tag.pushedAt} />
                      </td>
                      <td><TimeAgo at={tag.lastPulledAt} /></td>
                      {canDelete ? (
                        <td>
                          <button type="button" className="button button-secondary button-small" onClick={() => setDeleting(tag)}>
                            Delete<span className="visually-hidden"> tag {tag.name}</span>
                          </button>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager page={pager.page} hasPrevious={pager.hasPrevious} nextCursor={page.data.nextCursor} onPrevious={pager.previous} onNext={pager.next} />
          </>
        ) : null}
      </section>
    </>
  );
}

export default function RepositoryRoute() {
  const params = useParams<{ name: string[] }>();
  const { name, digest } = parseRepositoryRoute(params.name);
  return digest === null ? <RepositoryPage name={name} /> : <ArtifactView repository={name} digest={digest} />;
}

function RepositoryPage({ name }: { name: string }) {
  const namespace = name.split('/')[0];
  // Anyone may read a public repository: visitors too.
  const viewer = useViewer();
  const sessionKnown = viewer !== undefined;
  const [deleted, setDeleted] = useState(0);
  // Saved through the settings on this page: shown at once, without reloading it.
  const [saved, setSaved] = useState<Schema<'RepositoryDto'> | null>(null);
  // The repository and its first tags load at once, alongside the session check: one round
  // trip before the rows show instead of three.
  const [repository, retry] = useApi(`repository:${name}`, async () => unwrap(await api().GET('/api/v1/repositories/{name}', { params: { path: { name } } })));
  return (
    <>
      <title>{`${name} · Wharf`}</title>
      <nav aria-label="Breadcrumb" className="muted">
        <Link href={`/orgs/${encodeURIComponent(namespace)}`}>{namespace}</Link> / {name.slice(namespace.length + 1)}
      </nav>
      {!sessionKnown || repository.state === 'loading' ? <Loading label="Loading the repository…" /> : null}
      {repository.state === 'error' && sessionKnown ? (
        <>
          <h1>{name}</h1>
          <ErrorState
            title={repository.status === 404 ? 'Repository not found' : 'Could not load the repository'}
            message={repository.status === 404 ? `There is no repository “${name}”, or you may not see it${viewer === null ? ' without signing in' : ''}.` : repository.message}
            onRetry={repository.status === 404 ? undefined : retry}
          />
        </>
      ) : null}
      {repository.state === 'ready' && sessionKnown
        ? (() => {
            const data = saved ?? repository.data;
            return (
              <>
                <div className="page-header">
                  <h1 className={styles.title}>{data.name}</h1>
                  <div>
                    <span className="badge">{data.public ? 'public' : 'private'}</span> <span className="muted">{Math.max(0, data.tagCount - deleted).toLocaleString('en')} tags</span>
                  </div>
                </div>
                {data.description ? (
                  <section className="card" aria-labelledby="about">
                    <h2 id="about">About</h2>
                    <Markdown source={data.description} />
                  </section>
                ) : null}
              </>
            );
          })()
        : null}
      {repository.state !== 'error' ? (
        <TagsTable
          repository={name}
          hidden={repository.state !== 'ready' || !sessionKnown}
          canDelete={repository.state === 'ready' && (repository.data.permissions?.includes('tag:delete') ?? false)}
          onDeleted={() => setDeleted((n) => n + 1)}
        />
      ) : null}
      {repository.state === 'ready' && sessionKnown ? (
        <RepositorySettings repository={repository.data} onSaved={(updated) => setSaved({ ...updated, permissions: repository.data.permissions })} />
      ) : null}
    </>
  );
}
