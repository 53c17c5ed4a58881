import { Role } from '@wharf/authz';

import { errorCode, type ApiClient } from './support/api-client';
import { adminClient, Cast, expectInvalid, type Who } from './support/api-org-fixtures';
import { RegistryClient, sha256 } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * Tags and artifacts through the management API (issue 5): every field of the tag and
 * artifact listings and of an artifact's detail checked against what was pushed (sizes
 * computed here from the pushed bytes), every sort order and the tag filter, top-level
 * artifacts as Harbor lists them, deletion per role (features.md §2), digests outside the
 * grammar refused (reliability.md §1, gitlab 489877), and a repository of 10,000 tags paged
 * through completely in each order.
 */

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
const LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const SBOM = 'application/vnd.example.sbom.v1+json';
const SIGNATURE = 'application/vnd.example.signature.v1+json';

interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}
interface TagJson {
  name: string;
  digest: string;
  mediaType: string;
  artifactType: string | null;
  size: number;
  platforms: Platform[];
  pushedAt: string;
  lastPulledAt: string | null;
}
interface ArtifactJson {
  digest: string;
  mediaType: string;
  artifactType: string | null;
  tags: string[];
  tagCount: number;
  manifestSize: number;
  size: number;
  platforms: Platform[];
  pushedAt: string;
  lastPulledAt: string | null;
}
interface ArtifactDetailJson extends ArtifactJson {
  manifest: Record<string, unknown>;
  subject: string | null;
  config: { digest: string; mediaType: string; size: number; content: Record<string, unknown> | null } | null;
  platform?: Platform;
  layers: { digest: string; mediaType: string; size: number; annotations?: Record<string, string> }[];
  history: { created?: string; createdBy?: string; emptyLayer: boolean; comment?: string; author?: string }[];
  children: { digest: string; mediaType: string; size: number; totalSize?: number; platform?: Platform; annotations?: Record<string, string> }[];
  referrers: { artifactType: string | null; referrers: { digest: string; mediaType: string; size: number; annotations?: Record<string, string> }[] }[];
}
interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** What the test pushed, and what it expects the API to tell about it. */
interface Pushed {
  readonly digest: string;
  readonly bytes: Buffer;
  readonly document: Record<string, unknown>;
  /** The manifest, its distinct blobs and its children's totals, computed from the pushed bytes. */
  readonly size: number;
}

const path = (name: string) => `/api/v1/repositories/${encodeURIComponent(name)}`;
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('management API: tags and artifacts', () => {
  let app: TestApp;
  let registry: RegistryClient;
  let cast: Cast;
  let admin: ApiClient;
  let org: string;
  let repo: string;

  async function putManifest(name: string, reference: string | undefined, document: Record<string, unknown>, mediaType: string): Promise<Buffer> {
    const bytes = Buffer.from(JSON.stringify(document));
    const response = await registry.putManifest(name, reference ?? sha256(bytes), bytes, mediaType);
    if (response.status !== 201) throw new Error(`PUT manifest ${name}: ${response.status} ${response.body.toString()}`);
    return bytes;
  }

  /** An image with this config and these layers, tagged `tag` (by digest when undefined). */
  async function pushImage(name: string, tag: string | undefined, config: Buffer | Record<string, unknown>, layers: string[], extra: Record<string, unknown> = {}): Promise<Pushed> {
    const configBytes = Buffer.isBuffer(config) ? config : Buffer.from(JSON.stringify(config));
    const configDescriptor = { mediaType: OCI_CONFIG, digest: await registry.pushBlob(name, configBytes), size: configBytes.length };
    const layerDescriptors = [];
    for (const layer of layers) layerDescriptors.push({ mediaType: LAYER, digest: await registry.pushBlob(name, layer), size: Buffer.byteLength(layer) });
    const document = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDescriptor, layers: layerDescriptors, ...extra };
    const bytes = await putManifest(name, tag, document, OCI_MANIFEST);
    const blobs = new Map([configDescriptor, ...layerDescriptors].map((d) => [d.digest, d.size]));
    return { digest: sha256(bytes), bytes, document, size: bytes.length + [...blobs.values()].reduce((a, b) => a + b, 0) };
  }

  /** A referrer of `subject` (pushed by digest): an empty config and one payload layer. */
  async function pushReferrer(name: string, subject: { digest: string; bytes: Buffer }, artifactType: string, payload: string, annotations?: Record<string, string>): Promise<Pushed> {
    const empty = { mediaType: OCI_EMPTY, digest: await registry.pushBlob(name, '{}'), size: 2 };
    const layer = { mediaType: 'application/json', digest: await registry.pushBlob(name, payload), size: Buffer.byteLength(payload) };
    const document = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType,
      config: empty,
      layers: [layer],
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.bytes.length },
      ...(annotations ? { annotations } : {}),
    };
    const bytes = await putManifest(name, undefined, document, OCI_MANIFEST);
    return { digest: sha256(bytes), bytes, document, size: bytes.length + 2 + layer.size };
  }

  async function pushIndex(name: string, tag: string, children: { image: Pushed; platform: Platform; annotations?: Record<string, string> }[]): Promise<Pushed> {
    const document = {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: children.map(({ image, platform, annotations }) => ({ mediaType: OCI_MANIFEST, digest: image.digest, size: image.bytes.length, platform, ...(annotations ? { annotations } : {}) })),
    };
    const bytes = await putManifest(name, tag, document, OCI_INDEX);
    return { digest: sha256(bytes), bytes, document, size: bytes.length + children.reduce((total, child) => total + child.image.size, 0) };
  }

  /** Every page of a listing; the items in the order received. */
  async function all<T>(client: ApiClient, url: string, limit: number): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const response = await client.get<Page<T>>(`${url}${url.includes('?') ? '&' : '?'}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${JSON.stringify(response.body)}`);
      expect(response.body.items.length).toBeLessThanOrEqual(limit);
      if (response.body.nextCursor !== undefined) expect(response.body.items).toHaveLength(limit);
      items.push(...response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor !== undefined);
    return items;
  }

  const tagPushedAt = async (name: string, tag: string) =>
    (await app.query<{ at: Date }>('SELECT t.pushed_at AS at FROM tag t JOIN repository r ON r.id = t.repository_id WHERE r.name = $1 AND t.name = $2', [name, tag]))[0]!.at.toISOString();
  const lastPulledAt = async (name: string, digest: string) =>
    (await app.query<{ at: Date | null }>('SELECT m.last_pulled_at AS at FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1 AND m.digest = $2', [name, digest]))[0]!.at?.toISOString() ?? null;
  const manifestPushedAt = async (name: string, digest: string) =>
    (await app.query<{ at: Date }>('SELECT m.pushed_at AS at FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1 AND m.digest = $2', [name, digest]))[0]!.at.toISOString();

  // The repository under test, pushed in this order (push times follow it).
  const configA = {
    architecture: 'arm64',
    variant: 'v8',
    os: 'linux',
    created: '2024-05-01T10:00:00Z',
    config: { Env: ['PATH=/usr/bin'], Entrypoint: ['/app'] },
    rootfs: { type: 'layers', diff_ids: [sha256('a-1'), sha256('a-2')] },
    history: [
      { created: '2024-05-01T09:00:00Z', created_by: '/bin/sh -c #(nop) ADD file:0123 in / ', comment: 'base layer' },
      { created: '2024-05-01T09:30:00Z', created_by: '/bin/sh -c #(nop) ENV PATH=/usr/bin', empty_layer: true },
      { created: '2024-05-01T10:00:00Z', created_by: 'RUN apk add curl # buildkit', author: 'ops@example.com' },
    ],
  };
  const platformConfig = (architecture: string) => ({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  let amd: Pushed;
  let arm: Pushed;
  let attestation: Pushed;
  let index: Pushed;
  let imageA: Pushed;
  let sboms: Pushed[];
  let signature: Pushed;
  let lone: Pushed;
  let orphan: Pushed;
  let big: Pushed;

  beforeAll(async () => {
    app = await startTestApp({ env: { WHARF_LOGIN_MAX_FAILURES: '100000', WHARF_LOGIN_MAX_FAILURES_PER_ADDRESS: '100000' } });
    registry = new RegistryClient(app.url);
    cast = await Cast.create(app);
    admin = await adminClient(app);
    org = (await cast.organization('art')).name;
    repo = `${org}/team/app`;

    amd = await pushImage(repo, undefined, platformConfig('amd64'), ['amd64 layer']);
    arm = await pushImage(repo, undefined, platformConfig('arm64'), ['arm64 layer, a little longer']);
    attestation = await pushImage(repo, undefined, platformConfig('unknown'), ['in-toto statement']);
    index = await pushIndex(repo, 'multi', [
      { image: amd, platform: { os: 'linux', architecture: 'amd64' } },
      { image: arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      { image: attestation, platform: { os: 'unknown', architecture: 'unknown' }, annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.digest } },
    ]);
    imageA = await pushImage(repo, 'v1', configA, ['a-1', 'a-2 is the second layer']);
    await putManifest(repo, 'latest', imageA.document, OCI_MANIFEST);
    sboms = [await pushReferrer(repo, imageA, SBOM, '{"spdx":"one"}'), await pushReferrer(repo, imageA, SBOM, '{"spdx":"two, longer"}')];
    signature = await pushReferrer(repo, imageA, SIGNATURE, 'signature bytes', { 'org.example.signer': 'ci' });
    lone = await pushImage(repo, undefined, platformConfig('riscv64'), ['lone layer']);
    orphan = await pushReferrer(repo, { digest: sha256('a subject never pushed'), bytes: Buffer.from('x'.repeat(10)) }, SIGNATURE, 'orphan signature');
    // A config larger than 1 MiB: described, never read into the answer.
    big = await pushImage(repo, 'big', Buffer.from(JSON.stringify({ ...platformConfig('s390x'), padding: 'p'.repeat(1024 * 1024) })), ['big layer']);
    // A child of the index that also carries a tag of its own: re-pushed last.
    await putManifest(repo, 'child-tag', arm.document, OCI_MANIFEST);
  });
  afterAll(async () => app?.close());

  describe('tags', () => {
    it('answers one row per tag with every field as pushed', async () => {
      const response = await cast.clients[Role.LimitedGuest].get<Page<TagJson>>(`${path(repo)}/tags`);
      expect(response.status).toBe(200);
      const row = async (name: string, image: Pushed, mediaType: string, artifactType: string | null, platforms: Platform[]): Promise<TagJson> => ({
        name,
        digest: image.digest,
        mediaType,
        artifactType,
        size: image.size,
        platforms,
        pushedAt: await tagPushedAt(repo, name),
        lastPulledAt: null,
      });
      expect(response.body).toEqual({
        items: [
          await row('big', big, OCI_MANIFEST, OCI_CONFIG, []),
          await row('child-tag', arm, OCI_MANIFEST, OCI_CONFIG, []),
          await row('latest', imageA, OCI_MANIFEST, OCI_CONFIG, []),
          await row('multi', index, OCI_INDEX, null, [
            { os: 'linux', architecture: 'amd64' },
            { os: 'linux', architecture: 'arm64', variant: 'v8' },
          ]),
          await row('v1', imageA, OCI_MANIFEST, OCI_CONFIG, []),
        ],
      });
    });

    it('sorts by name, push time and size, both ways, with the documented defaults', async () => {
      const names = async (query: string, limit = 2) => (await all<TagJson>(admin, `${path(repo)}/tags?${query}`, limit)).map((tag) => tag.name);
      const byName = ['big', 'child-tag', 'latest', 'multi', 'v1'];
      expect(await names('')).toEqual(byName);
      expect(await names('sort=name&order=desc')).toEqual([...byName].reverse());
      const byPushed = ['multi', 'v1', 'latest', 'big', 'child-tag'];
      expect(await names('sort=pushed', 1)).toEqual([...byPushed].reverse());
      expect(await names('sort=pushed&order=asc', 3)).toEqual(byPushed);
      const sizes: [string, number][] = [
        ['big', big.size],
        ['child-tag', arm.size],
        ['latest', imageA.size],
        ['multi', index.size],
        ['v1', imageA.size],
      ];
      const bySize = sizes.sort(([a, sa], [b, sb]) => sa - sb || byteOrder(a, b)).map(([name]) => name);
      expect(await names('sort=size&order=asc', 1)).toEqual(bySize);
      expect(await names('sort=size', 4)).toEqual([...bySize].reverse());
    });

    it('filters by a literal, case-insensitive substring of the tag', async () => {
      const names = async (q: string, sort = 'name') => (await all<TagJson>(admin, `${path(repo)}/tags?q=${encodeURIComponent(q)}&sort=${sort}`, 1)).map((tag) => tag.name);
      expect(await names('I')).toEqual(['big', 'child-tag', 'multi']);
      expect(await names('t', 'pushed')).toEqual(['child-tag', 'latest', 'multi']);
      expect(await names('_')).toEqual([]);
      expect(await names('%')).toEqual([]);
      expect(await names('nothing')).toEqual([]);
    });

    it('shows when an artifact was last pulled', async () => {
      const before = Date.now();
      expect((await registry.request(`/v2/${repo}/manifests/v1`, { method: 'GET', headers: { Accept: OCI_MANIFEST } })).status).toBe(200);
      let tags: TagJson[] = [];
      // Pulls are recorded in batches every few seconds.
      for (let i = 0; i < 40; i++) {
        tags = (await admin.get<Page<TagJson>>(`${path(repo)}/tags`)).body.items;
        if (tags.find((tag) => tag.name === 'v1')!.lastPulledAt !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const pulled = tags.find((tag) => tag.name === 'v1')!.lastPulledAt;
      expect(pulled).not.toBeNull();
      expect(new Date(pulled!).getTime()).toBeGreaterThanOrEqual(before - 1000);
      // The same manifest under another tag; the others were not pulled.
      expect(tags.find((tag) => tag.name === 'latest')!.lastPulledAt).toBe(pulled);
      expect(tags.find((tag) => tag.name === 'multi')!.lastPulledAt).toBeNull();
    });

    it('refuses a bad sort, order, cursor or filter with 400', async () => {
      expectInvalid(await admin.get(`${path(repo)}/tags?sort=digest`), 'sort');
      expectInvalid(await admin.get(`${path(repo)}/tags?sort=${encodeURIComponent('size desc; DROP TABLE tag')}`), 'sort');
      expectInvalid(await admin.get(`${path(repo)}/tags?order=random`), 'order');
      expectInvalid(await admin.get(`${path(repo)}/tags?cursor=garbage`), 'cursor');
      expectInvalid(await admin.get(`${path(repo)}/tags?q=${'x'.repeat(129)}`), 'q');
      const page = await admin.get<Page<TagJson>>(`${path(repo)}/tags?sort=size&limit=1`);
      expect(page.body.nextCursor).toBeDefined();
      expectInvalid(await admin.get(`${path(repo)}/tags?sort=pushed&cursor=${page.body.nextCursor}`), 'cursor');
      expect((await admin.get(`${path(repo)}/tags?sort=size&cursor=${page.body.nextCursor}`)).status).toBe(200);
      const forged = Buffer.from(JSON.stringify(['size', '1; DROP TABLE tag', 'v1'])).toString('base64url');
      expectInvalid(await admin.get(`${path(repo)}/tags?sort=size&cursor=${forged}`), 'cursor');
      expect(await app.query('SELECT 1 FROM tag LIMIT 1')).toHaveLength(1);
    });
  });

  describe('artifacts', () => {
    it('lists top-level artifacts as Harbor does, with every field as pushed', async () => {
      const response = await cast.clients[Role.Guest].get<Page<ArtifactJson>>(`${path(repo)}/artifacts`);
      expect(response.status).toBe(200);
      const row = async (image: Pushed, tags: string[], mediaType: string, artifactType: string | null, platforms: Platform[] = []): Promise<ArtifactJson> => ({
        digest: image.digest,
        mediaType,
        artifactType,
        tags,
        tagCount: tags.length,
        manifestSize: image.bytes.length,
        size: image.size,
        platforms,
        pushedAt: await manifestPushedAt(repo, image.digest),
        lastPulledAt: await lastPulledAt(repo, image.digest),
      });
      // Newest push first: the tagged index child (tagged last), then the others. The children
      // amd64 and the attestation, and the referrers of imageA, are not top-level.
      const expected = [
        await row(arm, ['child-tag'], OCI_MANIFEST, OCI_CONFIG),
        await row(big, ['big'], OCI_MANIFEST, OCI_CONFIG),
        await row(orphan, [], OCI_MANIFEST, SIGNATURE),
        await row(lone, [], OCI_MANIFEST, OCI_CONFIG),
        await row(imageA, ['latest', 'v1'], OCI_MANIFEST, OCI_CONFIG),
        await row(index, ['multi'], OCI_INDEX, null, [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
        ]),
      ];
      expect(response.body.items).toEqual(expected);
      expect(response.body.nextCursor).toBeUndefined();
      const digests = response.body.items.map((item) => item.digest);
      for (const hidden of [amd, attestation, ...sboms, signature]) expect(digests).not.toContain(hidden.digest);
    });

    it('sorts by push time and by size, both ways, across pages', async () => {
      const digests = async (query: string, limit: number) => (await all<ArtifactJson>(admin, `${path(repo)}/artifacts?${query}`, limit)).map((item) => item.digest);
      const newestFirst = [arm, big, orphan, lone, imageA, index].map((image) => image.digest);
      expect(await digests('', 1)).toEqual(newestFirst);
      expect(await digests('sort=pushed&order=asc', 4)).toEqual([...newestFirst].reverse());
      const bySize = [arm, big, orphan, lone, imageA, index].sort((a, b) => a.size - b.size || byteOrder(a.digest, b.digest)).map((image) => image.digest);
      expect(await digests('sort=size&order=asc', 2)).toEqual(bySize);
      expect(await digests('sort=size', 5)).toEqual([...bySize].reverse());
      expectInvalid(await admin.get(`${path(repo)}/artifacts?sort=name`), 'sort');
    });

    it('filters by a tag substring', async () => {
      const digests = async (q: string) => (await all<ArtifactJson>(admin, `${path(repo)}/artifacts?q=${q}`, 10)).map((item) => item.digest);
      expect(await digests('LAT')).toEqual([imageA.digest]);
      expect(await digests('i')).toEqual([arm.digest, big.digest, index.digest]);
    });
  });

  describe('artifact detail', () => {
    const detail = (digest: string, client: ApiClient = admin) => client.get<ArtifactDetailJson>(`${path(repo)}/artifacts/${digest}`);

    it('of an image: manifest, config read from storage, layers, build history, platform and referrers by artifact type', async () => {
      const response = await detail(imageA.digest, cast.clients[Role.LimitedGuest]);
      expect(response.status).toBe(200);
      const configBytes = Buffer.from(JSON.stringify(configA));
      const layers = imageA.document.layers as { digest: string; size: number }[];
      const referrer = (image: Pushed, annotations?: Record<string, string>) => ({ digest: image.digest, mediaType: OCI_MANIFEST, size: image.bytes.length, ...(annotations ? { annotations } : {}) });
      expect(response.body).toEqual({
        digest: imageA.digest,
        mediaType: OCI_MANIFEST,
        artifactType: OCI_CONFIG,
        tags: ['latest', 'v1'],
        tagCount: 2,
        manifestSize: imageA.bytes.length,
        size: imageA.size,
        platforms: [],
        pushedAt: await manifestPushedAt(repo, imageA.digest),
        lastPulledAt: await lastPulledAt(repo, imageA.digest),
        manifest: JSON.parse(imageA.bytes.toString()),
        subject: null,
        config: { digest: sha256(configBytes), mediaType: OCI_CONFIG, size: configBytes.length, content: configA },
        platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        layers: [
          { digest: sha256('a-1'), mediaType: LAYER, size: 3 },
          { digest: sha256('a-2 is the second layer'), mediaType: LAYER, size: Buffer.byteLength('a-2 is the second layer') },
        ],
        history: [
          { created: '2024-05-01T09:00:00Z', createdBy: '/bin/sh -c #(nop) ADD file:0123 in / ', emptyLayer: false, comment: 'base layer' },
          { created: '2024-05-01T09:30:00Z', createdBy: '/bin/sh -c #(nop) ENV PATH=/usr/bin', emptyLayer: true },
          { created: '2024-05-01T10:00:00Z', createdBy: 'RUN apk add curl # buildkit', emptyLayer: false, author: 'ops@example.com' },
        ],
        children: [],
        referrers: [
          { artifactType: SBOM, referrers: [...sboms].sort((a, b) => byteOrder(a.digest, b.digest)).map((image) => referrer(image)) },
          { artifactType: SIGNATURE, referrers: [referrer(signature, { 'org.example.signer': 'ci' })] },
        ],
      });
      expect(layers.map((layer) => layer.digest)).toEqual(response.body.layers.map((layer) => layer.digest));
    });

    it('of an index: its children with platforms and sizes, no config', async () => {
      const response = await detail(index.digest, cast.clients[Role.Developer]);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        digest: index.digest,
        mediaType: OCI_INDEX,
        artifactType: null,
        tags: ['multi'],
        manifestSize: index.bytes.length,
        size: index.size,
        manifest: JSON.parse(index.bytes.toString()),
        subject: null,
        config: null,
        layers: [],
        history: [],
        referrers: [],
        platforms: [
          { os: 'linux', architecture: 'amd64' },
          { os: 'linux', architecture: 'arm64', variant: 'v8' },
        ],
      });
      expect(response.body.platform).toBeUndefined();
      expect(response.body.children).toEqual([
        { digest: amd.digest, mediaType: OCI_MANIFEST, size: amd.bytes.length, totalSize: amd.size, platform: { os: 'linux', architecture: 'amd64' } },
        { digest: arm.digest, mediaType: OCI_MANIFEST, size: arm.bytes.length, totalSize: arm.size, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        {
          digest: attestation.digest,
          mediaType: OCI_MANIFEST,
          size: attestation.bytes.length,
          totalSize: attestation.size,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': amd.digest },
        },
      ]);
    });

    it('of a referrer: its subject; of a child: reachable by digest though not listed', async () => {
      const signed = await detail(signature.digest);
      expect(signed.body).toMatchObject({ subject: imageA.digest, artifactType: SIGNATURE, tags: [], size: signature.size, manifest: signature.document });
      expect(signed.body.config).toEqual({ digest: sha256('{}'), mediaType: OCI_EMPTY, size: 2, content: {} });
      expect((await detail(amd.digest)).body).toMatchObject({ digest: amd.digest, platform: { os: 'linux', architecture: 'amd64' }, tags: [] });
    });

    it('leaves out a config larger than 1 MiB', async () => {
      const response = await detail(big.digest);
      expect(response.status).toBe(200);
      const config = big.document.config as { digest: string; size: number };
      expect(config.size).toBeGreaterThan(1024 * 1024);
      expect(response.body).toMatchObject({ config: { digest: config.digest, mediaType: OCI_CONFIG, size: config.size, content: null }, history: [] });
      expect(response.body.platform).toBeUndefined();
    });

    it('refuses a digest outside the grammar with 400, and answers 404 for one the repository lacks', async () => {
      for (const bad of ['sha256:xyz', `sha256:${'A'.repeat(64)}`, `sha256:${'0'.repeat(63)}`, 'md5:d41d8cd98f00b204e9800998ecf8427e', '..%2F..%2Fetc%2Fpasswd', `sha256:${'0'.repeat(64)}%2F..`, 'latest']) {
        expectInvalid(await admin.get(`${path(repo)}/artifacts/${bad}`), 'digest');
        expectInvalid(await cast.clients[Role.Maintainer].delete(`${path(repo)}/artifacts/${bad}`), 'digest');
      }
      const missing = await admin.get(`${path(repo)}/artifacts/${sha256('never pushed')}`);
      expect({ status: missing.status, body: missing.body }).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'artifact not found' } } });
      // A manifest of another repository is not this repository's.
      await pushImage(`${org}/other`, 'v1', platformConfig('amd64'), ['other layer']);
      const other = (await admin.get<Page<ArtifactJson>>(`${path(`${org}/other`)}/artifacts`)).body.items[0]!;
      expect((await admin.get(`${path(repo)}/artifacts/${other.digest}`)).status).toBe(404);
    });

    it('is 404 for a caller who may not read the repository, exactly as for a missing repository', async () => {
      for (const who of ['non-member', 'anonymous'] as const) {
        const hidden = await detail(imageA.digest, cast.clients[who]);
        const missing = await cast.clients[who].get(`${path(`${org}/nope`)}/artifacts/${imageA.digest}`);
        expect({ status: hidden.status, body: hidden.body }).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'repository not found' } } });
        expect({ status: missing.status, body: missing.body }).toEqual({ status: hidden.status, body: hidden.body });
      }
    });
  });

  describe('deleting tags and artifacts', () => {
    let name: string;
    let keep: Pushed;
    let drop: Pushed;
    let child: Pushed;

    const rowsOf = async () =>
      (
        await app.query<{ v: string }>(
          `SELECT 'tag ' || t.name || ' ' || m.digest AS v FROM tag t JOIN manifest m ON m.id = t.manifest_id JOIN repository r ON r.id = t.repository_id WHERE r.name = $1
           UNION ALL SELECT 'manifest ' || m.digest FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1 ORDER BY 1`,
          [name],
        )
      ).map((row) => row.v);

    beforeAll(async () => {
      name = `${org}/deletions`;
      keep = await pushImage(name, 'keep', platformConfig('amd64'), ['keep layer']);
      drop = await pushImage(name, 'drop-1', platformConfig('arm64'), ['drop layer']);
      await putManifest(name, 'drop-2', drop.document, OCI_MANIFEST);
      child = await pushImage(name, undefined, platformConfig('ppc64le'), ['child layer']);
      await pushIndex(name, 'index', [{ image: child, platform: { os: 'linux', architecture: 'ppc64le' } }]);
    });

    it.each<Who>(['admin read token', Role.LimitedGuest, Role.Guest, Role.Developer])('refuses a %s both (403), changing nothing', async (who) => {
      const before = await rowsOf();
      for (const response of [await cast.clients[who].delete(`${path(name)}/tags/keep`), await cast.clients[who].delete(`${path(name)}/artifacts/${drop.digest}`)]) {
        expect({ status: response.status, code: errorCode(response) }).toEqual({ status: 403, code: 'forbidden' });
      }
      expect(await rowsOf()).toEqual(before);
    });

    it('answers 404 to a non-member and 401 to anonymous, changing nothing', async () => {
      const before = await rowsOf();
      expect((await cast.clients['non-member'].delete(`${path(name)}/tags/keep`)).status).toBe(404);
      expect((await cast.clients['non-member'].delete(`${path(name)}/artifacts/${drop.digest}`)).status).toBe(404);
      expect((await cast.clients.anonymous.delete(`${path(name)}/tags/keep`)).status).toBe(401);
      expect((await cast.clients.anonymous.delete(`${path(name)}/artifacts/${drop.digest}`)).status).toBe(401);
      expect(await rowsOf()).toEqual(before);
    });

    it('lets a maintainer delete a tag: the artifact stays', async () => {
      expect((await cast.clients[Role.Maintainer].delete(`${path(name)}/tags/keep`)).status).toBe(204);
      const rows = await rowsOf();
      expect(rows).not.toContain(`tag keep ${keep.digest}`);
      expect(rows).toContain(`manifest ${keep.digest}`);
      const again = await cast.clients[Role.Maintainer].delete(`${path(name)}/tags/keep`);
      expect({ status: again.status, body: again.body }).toEqual({ status: 404, body: { error: { code: 'not_found', message: 'tag not found' } } });
      expectInvalid(await cast.clients[Role.Maintainer].delete(`${path(name)}/tags/${encodeURIComponent('.bad')}`), 'tag');
      expectInvalid(await cast.clients[Role.Maintainer].delete(`${path(name)}/tags/${'t'.repeat(129)}`), 'tag');
    });

    it('lets a maintainer delete an artifact with every tag on it', async () => {
      expect(await rowsOf()).toEqual(expect.arrayContaining([`tag drop-1 ${drop.digest}`, `tag drop-2 ${drop.digest}`, `manifest ${drop.digest}`]));
      expect((await cast.clients[Role.Maintainer].delete(`${path(name)}/artifacts/${drop.digest}`)).status).toBe(204);
      expect((await rowsOf()).filter((row) => row.includes(drop.digest))).toEqual([]);
      expect((await cast.clients[Role.Maintainer].delete(`${path(name)}/artifacts/${drop.digest}`)).status).toBe(404);
      expect((await registry.request(`/v2/${name}/manifests/drop-1`, { method: 'GET' })).status).toBe(404);
    });

    it('refuses to delete a child of an index (409), then deletes it once the index is gone', async () => {
      const refused = await cast.clients[Role.Admin].delete(`${path(name)}/artifacts/${child.digest}`);
      expect({ status: refused.status, code: errorCode(refused) }).toEqual({ status: 409, code: 'conflict' });
      expect(await rowsOf()).toContain(`manifest ${child.digest}`);
      const indexDigest = (await admin.get<Page<TagJson>>(`${path(name)}/tags?q=index`)).body.items[0]!.digest;
      expect((await cast.clients[Role.Admin].delete(`${path(name)}/artifacts/${indexDigest}`)).status).toBe(204);
      expect((await cast.clients[Role.Admin].delete(`${path(name)}/artifacts/${child.digest}`)).status).toBe(204);
      expect(await rowsOf()).toEqual([`manifest ${keep.digest}`]);
    });
  });

  describe('deleting an artifact with referrers', () => {
    const manifestsOf = async (name: string) =>
      (await app.query<{ digest: string }>('SELECT m.digest FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1 ORDER BY 1', [name])).map((row) => row.digest);
    const referrersOf = async (name: string, digest: string) => {
      const response = await registry.request(`/v2/${name}/referrers/${digest}`, { method: 'GET' });
      expect(response.status).toBe(200);
      return (JSON.parse(response.body.toString()) as { manifests: { digest: string }[] }).manifests.map((m) => m.digest).sort();
    };

    it('deletes its referrers down the chain, keeps one an index lists, and touches no other artifact or repository', async () => {
      const name = `${org}/signed`;
      const elsewhere = `${org}/signed-copy`;
      const subject = await pushImage(name, 'v1', platformConfig('amd64'), ['signed layer']);
      const sbom = await pushReferrer(name, subject, SBOM, '{"spdx":"signed"}');
      const sbomSignature = await pushReferrer(name, sbom, SIGNATURE, 'signature of the sbom');
      const signature = await pushReferrer(name, subject, SIGNATURE, 'signature of the image');
      const listed = await pushReferrer(name, subject, SIGNATURE, 'a signature an index lists');
      const holder = await pushIndex(name, 'holder', [{ image: listed, platform: { os: 'linux', architecture: 'amd64' } }]);
      const other = await pushImage(name, 'other', platformConfig('arm64'), ['other layer']);
      const otherSignature = await pushReferrer(name, other, SIGNATURE, 'signature of the other image');
      // The same image and a signature of it in another repository.
      await pushImage(elsewhere, 'v1', platformConfig('amd64'), ['signed layer']);
      const copySignature = await pushReferrer(elsewhere, subject, SIGNATURE, 'signature of the copy');
      expect(await referrersOf(name, subject.digest)).toEqual([sbom.digest, signature.digest, listed.digest].sort());

      expect((await cast.clients[Role.Maintainer].delete(`${path(name)}/artifacts/${subject.digest}`)).status).toBe(204);

      expect(await manifestsOf(name)).toEqual([listed.digest, holder.digest, other.digest, otherSignature.digest].sort());
      expect(await referrersOf(name, subject.digest)).toEqual([listed.digest]);
      expect(await referrersOf(name, sbom.digest)).toEqual([]);
      expect(await referrersOf(name, other.digest)).toEqual([otherSignature.digest]);
      expect(await referrersOf(elsewhere, subject.digest)).toEqual([copySignature.digest]);
      for (const gone of [subject, sbom, sbomSignature, signature]) expect((await registry.request(`/v2/${name}/manifests/${gone.digest}`, { method: 'GET' })).status).toBe(404);
      expect((await registry.request(`/v2/${name}/manifests/v1`, { method: 'GET' })).status).toBe(404);
      expect((await cast.clients[Role.Maintainer].delete(`${path(name)}/artifacts/${subject.digest}`)).status).toBe(404);
    });

    it('leaves the referrers of a manifest deleted through /v2, as the protocol does', async () => {
      const name = `${org}/signed-v2`;
      const subject = await pushImage(name, undefined, platformConfig('amd64'), ['v2 layer']);
      const signature = await pushReferrer(name, subject, SIGNATURE, 'signature kept');
      expect((await registry.request(`/v2/${name}/manifests/${subject.digest}`, { method: 'DELETE' })).status).toBe(202);
      expect(await manifestsOf(name)).toEqual([signature.digest]);
      expect(await referrersOf(name, subject.digest)).toEqual([signature.digest]);
    });
  });

  describe('a repository of 10,000 tags', () => {
    const COUNT = 10_000;
    let name: string;
    let expected: { name: string; pushed: number; size: number }[];

    beforeAll(async () => {
      name = `${org}/many`;
      const small = await pushImage(name, undefined, platformConfig('amd64'), ['small']);
      const large = await pushImage(name, undefined, platformConfig('arm64'), ['a larger layer than the other one']);
      // Names whose byte order is not their numeric order; push times with many ties, a
      // microsecond apart; two sizes.
      await app.query(
        `INSERT INTO tag (repository_id, name, manifest_id, pushed_at)
         SELECT r.id, 'v' || i, CASE WHEN i % 3 = 0 THEN l.id ELSE s.id END,
                timestamptz '2024-01-01 00:00:00+00' + (i % 97) * interval '1 microsecond'
           FROM repository r
           JOIN manifest s ON s.repository_id = r.id AND s.digest = $2
           JOIN manifest l ON l.repository_id = r.id AND l.digest = $3,
                generate_series(1, ${COUNT}) AS i
          WHERE r.name = $1`,
        [name, small.digest, large.digest],
      );
      expected = Array.from({ length: COUNT }, (_, k) => {
        const i = k + 1;
        return { name: `v${i}`, pushed: i % 97, size: i % 3 === 0 ? large.size : small.size };
      });
    });

    it.each([
      ['name', 'asc'],
      ['name', 'desc'],
      ['pushed', 'asc'],
      ['pushed', 'desc'],
      ['size', 'asc'],
      ['size', 'desc'],
    ] as const)('pages through completely by %s %s, 100 at a time, each tag once and in order', async (sort, order) => {
      const key = (tag: { name: string; pushed: number; size: number }) => (sort === 'name' ? 0 : sort === 'pushed' ? tag.pushed : tag.size);
      const ascending = [...expected].sort((a, b) => key(a) - key(b) || byteOrder(a.name, b.name)).map((tag) => tag.name);
      const want = order === 'asc' ? ascending : ascending.reverse();
      const seen: TagJson[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const response = await admin.get<Page<TagJson>>(`${path(name)}/tags?sort=${sort}&order=${order}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
        expect(response.status).toBe(200);
        seen.push(...response.body.items);
        cursor = response.body.nextCursor;
        pages++;
      } while (cursor !== undefined && pages <= COUNT / 100 + 1);
      expect(pages).toBe(COUNT / 100);
      expect(new Set(seen.map((tag) => tag.name)).size).toBe(COUNT);
      expect(seen.map((tag) => tag.name)).toEqual(want);
      const sizes = new Map(expected.map((tag) => [tag.name, tag.size]));
      expect(seen.every((tag) => tag.size === sizes.get(tag.name))).toBe(true);
    });

    it('filters 10,000 tags by substring', async () => {
      const names = (await all<TagJson>(admin, `${path(name)}/tags?q=v999`, 100)).map((tag) => tag.name);
      expect(names).toEqual(['v999', 'v9990', 'v9991', 'v9992', 'v9993', 'v9994', 'v9995', 'v9996', 'v9997', 'v9998', 'v9999']);
    });
  });
});
