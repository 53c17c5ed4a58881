'use client';

import { ErrorState, Loading } from '@/components/states';
import { api, unwrap, type Schema } from '@/lib/api';
import { formatBytes } from '@/lib/format';
import { useApi } from '@/lib/use-api';

import styles from './org.module.css';

type Organization = Schema<'OrganizationDto'>;

export function UsageTab({ org }: { org: Organization }) {
  const [usage, retry] = useApi(`usage:${org.name}`, async () => unwrap(await api().GET('/api/v1/orgs/{org}/usage', { params: { path: { org: org.name } } })));
  return (
    <section className="card" aria-labelledby="usage">
      <h2 id="usage">Storage usage</h2>
      {usage.state === 'loading' ? <Loading label="Measuring storage…" /> : null}
      {usage.state === 'error' ? <ErrorState title="Could not measure the storage" message={usage.message} onRetry={retry} /> : null}
      {usage.state === 'ready' ? (
        <>
          <dl className={styles.grid}>
            <div className={styles.stat}>
              <dt>Logical size</dt>
              <dd title={`${usage.data.logicalBytes} bytes`}>{formatBytes(usage.data.logicalBytes)}</dd>
            </div>
            <div className={styles.stat}>
              <dt>Stored (deduplicated)</dt>
              <dd title={`${usage.data.deduplicatedBytes} bytes`}>{formatBytes(usage.data.deduplicatedBytes)}</dd>
            </div>
            <div className={styles.stat}>
              <dt>Manifests</dt>
              <dd title={`${usage.data.manifestBytes} bytes`}>
                {usage.data.manifests} <span className="muted">({formatBytes(usage.data.manifestBytes)})</span>
              </dd>
            </div>
            <div className={styles.stat}>
              <dt>Repositories</dt>
              <dd>{usage.data.repositories}</dd>
            </div>
            <div className={styles.stat}>
              <dt>Distinct blobs</dt>
              <dd>{usage.data.blobs}</dd>
            </div>
          </dl>
          <p className="muted">
            The logical size counts every layer once in each repository that links it, as pushed; the stored size counts each distinct layer once, as kept on disk. Layers shared between repositories make the difference.
            {org.role === null ? ' Only the repositories you may read are counted.' : ''}
          </p>
        </>
      ) : null}
    </section>
  );
}
