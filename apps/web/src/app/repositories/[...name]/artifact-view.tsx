'use client';

import Link from 'next/link';

import { CopyButton } from '@/components/copy-button';
import { EmptyState, ErrorState, Loading } from '@/components/states';
import { TimeAgo } from '@/components/time-ago';
import { api, unwrap, type Schema } from '@/lib/api';
import { artifactHref, isDigest } from '@/lib/artifact-href';
import { formatBytes, repositoryHref, shortDigest } from '@/lib/format';
import { useViewer } from '@/lib/session';
import { useApi } from '@/lib/use-api';

import styles from './artifact.module.css';

type Artifact = Schema<'ArtifactDetailDto'>;

function platformText(platform: Schema<'PlatformDto'> | undefined): string {
  return platform ? [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/') : 'unknown platform';
}

/** Signatures, SBOMs and attestations by their well-known artifact types; otherwise the type itself. */
function referrerKind(artifactType: string | null): string {
  if (artifactType === null) return 'Untyped referrers';
  if (/cosign\.artifact\.sig|notary|signature/i.test(artifactType)) return `Signatures (${artifactType})`;
  if (/spdx|cyclonedx|sbom/i.test(artifactType)) return `SBOMs (${artifactType})`;
  if (/in-toto|attestation|provenance|slsa/i.test(artifactType)) return `Attestations (${artifactType})`;
  return artifactType;
}

function Json({ value, label }: { value: unknown; label: string }) {
  const text = JSON.stringify(value, null, 2);
  return (
    <div className={styles.json}>
      <div className={styles.jsonActions}>
        <CopyButton text={text} label={`Copy the ${label}`} />
      </div>
      {/* Focusable so that keyboard users can scroll it. */}
      <pre tabIndex={0} role="region" aria-label={label}>
        {text}
      </pre>
    </div>
  );
}

function Overview({ artifact }: { artifact: Artifact }) {
  return (
    <section className="card" aria-labelledby="overview">
      <h2 id="overview">Overview</h2>
      <dl className={styles.facts}>
        <dt>Digest</dt>
        <dd className={styles.digest}>
          <code>{artifact.digest}</code> <CopyButton text={artifact.digest} label="Copy the digest" />
        </dd>
        <dt>Media type</dt>
        <dd>
          <code>{artifact.mediaType}</code>
        </dd>
        {artifact.artifactType ? (
          <>
            <dt>Artifact type</dt>
            <dd>
              <code>{artifact.artifactType}</code>
            </dd>
          </>
        ) : null}
        {artifact.platform ? (
          <>
            <dt>Platform</dt>
            <dd>{platformText(artifact.platform)}</dd>
          </>
        ) : null}
        <dt>Size</dt>
        <dd>
          {formatBytes(artifact.size)} <span className="muted">(manifest {formatBytes(artifact.manifestSize)})</span>
        </dd>
        <dt>Tags</dt>
        <dd>{artifact.tags.length > 0 ? artifact.tags.map((tag) => <span key={tag} className={`badge ${styles.tag}`}>{tag}</span>) : <span className="muted">untagged</span>}</dd>
        <dt>Pushed</dt>
        <dd>
          <TimeAgo at={artifact.pushedAt} />
        </dd>
        <dt>Last pulled</dt>
        <dd><TimeAgo at={artifact.lastPulledAt} never="never" /></dd>
      </dl>
    </section>
  );
}

function Subject({ repository, subject }: { repository: string; subject: string }) {
  return (
    <p>
      This artifact refers to <Link href={artifactHref(repository, subject)}>{shortDigest(subject)}</Link>.
    </p>
  );
}

function Layers({ layers }: { layers: Schema<'LayerDto'>[] }) {
  const total = layers.reduce((sum, layer) => sum + layer.size, 0);
  return (
    <section className="card" aria-labelledby="layers">
      <h2 id="layers">Layers</h2>
      {layers.length === 0 ? (
        <EmptyState title="No layers" />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Layers, base first; {formatBytes(total)} in all</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Digest</th>
                <th scope="col">Media type</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {layers.map((layer, index) => (
                <tr key={`${index}:${layer.digest}`}>
                  <td>{index + 1}</td>
                  <td>
                    <code title={layer.digest}>{shortDigest(layer.digest)}</code>
                  </td>
                  <td className={styles.wrap}>
                    <code>{layer.mediaType}</code>
                  </td>
                  <td>{formatBytes(layer.size)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colSpan={3}>
                  Total
                </th>
                <td>{formatBytes(total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}

function History({ history }: { history: Schema<'HistoryEntryDto'>[] }) {
  return (
    <section className="card" aria-labelledby="history">
      <h2 id="history">Build history</h2>
      {history.length === 0 ? (
        <EmptyState title="No build history">
          <p>The image config records no build steps.</p>
        </EmptyState>
      ) : (
        <ol className={styles.history}>
          {history.map((entry, index) => (
            <li key={index}>
              <code className={styles.step}>{entry.createdBy ?? entry.comment ?? '(no command recorded)'}</code>
              <span className="muted">
                <TimeAgo at={entry.created} never={null} />
                {entry.emptyLayer ? ' · no layer' : ''}
                {entry.author ? ` · ${entry.author}` : ''}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Platforms({ repository, children }: { repository: string; children: Schema<'ChildDto'>[] }) {
  return (
    <section className="card" aria-labelledby="platforms">
      <h2 id="platforms">Platforms</h2>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Manifests of this index</caption>
          <thead>
            <tr>
              <th scope="col">Platform</th>
              <th scope="col">Digest</th>
              <th scope="col">Size</th>
            </tr>
          </thead>
          <tbody>
            {children.map((child) => (
              <tr key={child.digest}>
                <td>{child.platform ? platformText(child.platform) : (child.annotations?.['vnd.docker.reference.type'] ?? 'no platform')}</td>
                <td>
                  <Link href={artifactHref(repository, child.digest)}>
                    <code title={child.digest}>{shortDigest(child.digest)}</code>
                  </Link>
                </td>
                <td>{formatBytes(child.totalSize ?? child.size)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Referrers({ repository, groups }: { repository: string; groups: Schema<'ReferrerGroupDto'>[] }) {
  return (
    <section className="card" aria-labelledby="referrers">
      <h2 id="referrers">Referrers</h2>
      {groups.length === 0 ? (
        <EmptyState title="No referrers">
          <p>No signature, SBOM or attestation refers to this artifact.</p>
        </EmptyState>
      ) : (
        groups.map((group) => (
          <section key={group.artifactType ?? ''} aria-label={referrerKind(group.artifactType)} className={styles.group}>
            <h3>{referrerKind(group.artifactType)}</h3>
            <ul>
              {group.referrers.map((referrer) => (
                <li key={referrer.digest}>
                  <Link href={artifactHref(repository, referrer.digest)}>
                    <code title={referrer.digest}>{shortDigest(referrer.digest)}</code>
                  </Link>{' '}
                  <span className="muted">{formatBytes(referrer.size)}</span>
                </li>
              ))}
            </ul>
          </section>
        ))
      )}
    </section>
  );
}

/** One manifest or index of a repository: GET /api/v1/repositories/{name}/artifacts/{digest}. */
export function ArtifactView({ repository, digest }: { repository: string; digest: string }) {
  const sessionKnown = useViewer() !== undefined;
  const valid = isDigest(digest);
  const [artifact, retry] = useApi(sessionKnown && valid ? `artifact:${repository}@${digest}` : null, async () =>
    unwrap(await api().GET('/api/v1/repositories/{name}/artifacts/{digest}', { params: { path: { name: repository, digest } } })),
  );
  const namespace = repository.split('/')[0];
  return (
    <>
      <title>{`${repository}@${shortDigest(digest)} · Wharf`}</title>
      <nav aria-label="Breadcrumb" className="muted">
        <Link href={`/orgs/${encodeURIComponent(namespace)}`}>{namespace}</Link> / <Link href={repositoryHref(repository)}>{repository.slice(namespace.length + 1)}</Link> / artifact
      </nav>
      <h1 className={styles.title}>
        {repository}@{valid ? shortDigest(digest) : 'invalid digest'}
      </h1>
      {!valid ? (
        <ErrorState title="Not a digest" message="An artifact is named by its digest: sha256: followed by 64 lower-case hex digits (or sha512: and 128)." />
      ) : null}
      {valid && (!sessionKnown || artifact.state === 'loading') ? <Loading label="Loading the artifact…" /> : null}
      {artifact.state === 'error' ? (
        <ErrorState
          title={artifact.status === 404 ? 'Artifact not found' : 'Could not load the artifact'}
          message={artifact.status === 404 ? `${repository} holds no manifest ${shortDigest(digest)}, or you may not see it.` : artifact.message}
          onRetry={artifact.status === 404 ? undefined : retry}
        />
      ) : null}
      {artifact.state === 'ready' ? (
        <>
          <Overview artifact={artifact.data} />
          {artifact.data.subject ? <Subject repository={repository} subject={artifact.data.subject} /> : null}
          {artifact.data.children.length > 0 ? <Platforms repository={repository}>{artifact.data.children}</Platforms> : null}
          {artifact.data.config ? <Layers layers={artifact.data.layers} /> : null}
          {artifact.data.config ? <History history={artifact.data.history} /> : null}
          <Referrers repository={repository} groups={artifact.data.referrers} />
          <section className="card" aria-labelledby="manifest">
            <h2 id="manifest">Manifest</h2>
            <Json value={artifact.data.manifest} label="manifest JSON" />
          </section>
          {artifact.data.config ? (
            <section className="card" aria-labelledby="config">
              <h2 id="config">Config</h2>
              <p className="muted">
                <code>{artifact.data.config.mediaType}</code> · {formatBytes(artifact.data.config.size)}
              </p>
              {artifact.data.config.content ? <Json value={artifact.data.config.content} label="config JSON" /> : <p>The config is not JSON, or larger than 1 MiB.</p>}
            </section>
          ) : null}
        </>
      ) : null}
    </>
  );
}
