// Seeding: what rows measure against (small images, 10,000 tags, 10,000 repositories), put
// in through the registry API with the same concurrent requests on Wharf and on the peer.
import { sha256 } from './load/data';
import type { Phase } from './phase';
import { pull, pullPush, type Registry } from './servers/registry';
import { say } from './support/log';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MANIFEST_ACCEPT = [OCI_MANIFEST, 'application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');

export interface SmallImage {
  readonly manifest: Buffer;
  readonly digest: string;
  readonly configDigest: string;
  readonly layerDigest: string;
}

async function uploadBlob(registry: Registry, repository: string, content: Buffer, authorization: string): Promise<string> {
  const digest = sha256(content);
  const start = await fetch(`${registry.url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: { Authorization: authorization } });
  await start.arrayBuffer();
  if (start.status !== 202) throw new Error(`${registry.label}: POST upload to ${repository}: ${start.status}`);
  const location = new URL(start.headers.get('location')!, registry.url);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, { method: 'PUT', headers: { Authorization: authorization, 'Content-Type': 'application/octet-stream' }, body: content });
  if (put.status !== 201) throw new Error(`${registry.label}: PUT ${digest} to ${repository}: ${put.status} ${await put.text()}`);
  return digest;
}

/** Pushes a small one-layer image as repository:tag; the manifest can then be put under other tags. */
export async function pushSmallImage(registry: Registry, repository: string, tag: string, seed = repository): Promise<SmallImage> {
  const authorization = await registry.authorization([pullPush(repository)]);
  const layer = Buffer.from(`layer of ${seed}\n`.repeat(64));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] }, config: {} }));
  const layerDigest = await uploadBlob(registry, repository, layer, authorization);
  const configDigest = await uploadBlob(registry, repository, config, authorization);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    }),
  );
  const put = await fetch(`${registry.url}/v2/${repository}/manifests/${tag}`, { method: 'PUT', headers: { Authorization: authorization, 'Content-Type': OCI_MANIFEST }, body: manifest });
  if (put.status !== 201) throw new Error(`${registry.label}: PUT ${repository}:${tag}: ${put.status} ${await put.text()}`);
  return { manifest, digest: sha256(manifest), configDigest, layerDigest };
}

export const TAGS_REPOSITORY = 'bench/b8';
export const tagName = (i: number) => `t${String(i).padStart(5, '0')}`;

/** `count` tags t00000… of one small image in TAGS_REPOSITORY, on Wharf and the peer at once. */
export function seedTags(phase: Phase): Promise<void> {
  return phase.once('tags', async () => {
    const count = phase.plan.tags;
    const t0 = Date.now();
    const took = await Promise.all(
      phase.registries.map(async (registry) => {
        const image = await pushSmallImage(registry, TAGS_REPOSITORY, tagName(0));
        const { seconds } = await phase.worker.run({
          kind: 'batch',
          origin: registry.url,
          count,
          steps: [{ method: 'PUT', path: `/v2/${TAGS_REPOSITORY}/manifests/t{i}`, headers: { 'content-type': OCI_MANIFEST }, body: image.manifest.toString(), expectStatus: [201] }],
          authorizations: [await registry.authorization([pullPush(TAGS_REPOSITORY)])],
          groupSize: count,
          concurrency: phase.plan.seedConcurrency,
        });
        return `${registry.label} ${seconds.toFixed(1)} s`;
      }),
    );
    say(`${phase.storage}: seeded ${count} tags in ${TAGS_REPOSITORY} on both registries at once in ${((Date.now() - t0) / 1000).toFixed(1)} s (${took.join(', ')})`);
  });
}

const SOURCE_REPOSITORY = 'bench/b9-source';
export const repositoryName = (i: number | string) => `bench/b9-r${typeof i === 'number' ? String(i).padStart(5, '0') : i}`;
/** Tokens for the seeding of repositories cover this many repositories each (Wharf grants at most 50 scopes per token). */
const GROUP = 40;

/**
 * `count` repositories bench/b9-r00000…, each holding the same small image: its two blobs
 * mounted from a source repository, then its manifest put, on Wharf and the peer at once.
 */
export function seedRepositories(phase: Phase): Promise<void> {
  return phase.once('repositories', async () => {
    const count = phase.plan.repositories;
    const t0 = Date.now();
    const took = await Promise.all(
      phase.registries.map(async (registry) => {
        const image = await pushSmallImage(registry, SOURCE_REPOSITORY, 'latest');
        const authorizations: string[] = [];
        for (let group = 0; group * GROUP < count; group++) {
          const scopes = Array.from({ length: Math.min(GROUP, count - group * GROUP) }, (_, k) => pullPush(repositoryName(group * GROUP + k)));
          authorizations.push(await registry.authorization([pull(SOURCE_REPOSITORY), ...scopes]));
        }
        const mount = (digest: string) => ({ method: 'POST' as const, path: `/v2/${repositoryName('{i}')}/blobs/uploads/?mount=${digest}&from=${SOURCE_REPOSITORY}`, expectStatus: [201] });
        const { seconds } = await phase.worker.run({
          kind: 'batch',
          origin: registry.url,
          count,
          steps: [
            mount(image.configDigest),
            mount(image.layerDigest),
            { method: 'PUT', path: `/v2/${repositoryName('{i}')}/manifests/latest`, headers: { 'content-type': OCI_MANIFEST }, body: image.manifest.toString(), expectStatus: [201] },
          ],
          authorizations,
          groupSize: GROUP,
          concurrency: phase.plan.seedConcurrency,
        });
        return `${registry.label} ${seconds.toFixed(1)} s`;
      }),
    );
    say(`${phase.storage}: seeded ${count} repositories on both registries at once in ${((Date.now() - t0) / 1000).toFixed(1)} s (${took.join(', ')})`);
  });
}
