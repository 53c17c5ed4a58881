import { randomBytes } from 'node:crypto';

import { expectError, type OciErrorJson, type RawResponse, RegistryClient, sha256, sha512 } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/*
 * Manifests (protocol.md §3, reliability §4(a) rows 10–13): media-type resolution, reference
 * checks, exact bytes on pull, digest and tag PUTs, deletion.
 */

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  [field: string]: unknown;
}

interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  [field: string]: unknown;
}

let repoCounter = 0;
const uniqueRepo = (prefix: string) => `manifests/${prefix}-${++repoCounter}`;

function withoutMediaType(manifest: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...manifest };
  delete copy.mediaType;
  return copy;
}

describe('manifests', () => {
  let app: TestApp;
  let registry: RegistryClient;

  beforeAll(async () => {
    app = await startTestApp();
    registry = new RegistryClient(app.url);
  });
  afterAll(async () => app.close());

  const unchanged = <T>(act: () => Promise<T>) => app.unchanged(act);

  async function blob(name: string, data: Buffer | string, mediaType = OCI_LAYER): Promise<Descriptor> {
    return { mediaType, digest: await registry.pushBlob(name, data), size: Buffer.byteLength(data) };
  }

  /** A config and one random layer pushed to `name`, and an image manifest (as an object) using them. */
  async function image(name: string, extra: Record<string, unknown> = {}): Promise<ImageManifest> {
    const config = await blob(name, JSON.stringify({ architecture: 'amd64', os: 'linux' }), OCI_CONFIG);
    const layer = await blob(name, randomBytes(64));
    return { schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [layer], ...extra };
  }

  /** PUTs `body` with exactly the given Content-Type (no header at all for null). */
  async function put(name: string, reference: string, body: string | Buffer, contentType: string | null = OCI_MANIFEST): Promise<RawResponse> {
    return registry.request(`/v2/${name}/manifests/${reference}`, { method: 'PUT', body, headers: contentType === null ? {} : { 'Content-Type': contentType } });
  }

  /** PUT that must succeed; returns the Docker-Content-Digest. */
  async function pushed(name: string, reference: string, body: string | Buffer, contentType: string | null = OCI_MANIFEST): Promise<string> {
    const response = await put(name, reference, body, contentType);
    expect(response.status).toBe(201);
    return response.header('docker-content-digest')!;
  }

  /** An image manifest pushed by digest, as an index child descriptor. */
  async function child(name: string, platform = { architecture: 'amd64', os: 'linux' }): Promise<Descriptor> {
    const bytes = JSON.stringify(await image(name));
    await pushed(name, sha256(bytes), bytes);
    return { mediaType: OCI_MANIFEST, digest: sha256(bytes), size: Buffer.byteLength(bytes), platform };
  }

  const get = (name: string, reference: string, headers: Record<string, string> = {}) => registry.request(`/v2/${name}/manifests/${reference}`, { method: 'GET', headers });
  const head = (name: string, reference: string) => registry.request(`/v2/${name}/manifests/${reference}`, { method: 'HEAD' });
  const del = (name: string, reference: string) => registry.request(`/v2/${name}/manifests/${reference}`, { method: 'DELETE' });
  const tagsOf = async (name: string) => (await registry.request(`/v2/${name}/tags/list`, { method: 'GET' })).json<{ tags: string[] }>().tags;
  const storedMediaType = async (name: string, digest: string) =>
    (await app.query<{ media_type: string }>('SELECT m.media_type FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1 AND m.digest = $2', [name, digest]))[0]?.media_type;

  describe('media type resolution (Content-Type, then body mediaType, then shape)', () => {
    it.each([
      ['Content-Type alone', OCI_MANIFEST, undefined, 'image', OCI_MANIFEST],
      ['Content-Type with parameters', `${OCI_MANIFEST}; charset=utf-8`, OCI_MANIFEST, 'image', OCI_MANIFEST],
      ['body mediaType alone (no Content-Type)', null, DOCKER_MANIFEST, 'image', DOCKER_MANIFEST],
      ['body mediaType behind a generic application/json', 'application/json', OCI_INDEX, 'index', OCI_INDEX],
      ['neither, and the body has config', null, undefined, 'image', OCI_MANIFEST],
      ['neither, and the body has manifests', null, undefined, 'index', OCI_INDEX],
      ['Content-Type and body agreeing on a Docker list', DOCKER_LIST, DOCKER_LIST, 'index', DOCKER_LIST],
    ] as const)('%s → stored and served as the resolved type', async (_label, contentType, bodyType, shape, expected) => {
      const name = uniqueRepo('resolve');
      const base: Record<string, unknown> = shape === 'image' ? await image(name) : { schemaVersion: 2, manifests: [await child(name)] };
      const rest = withoutMediaType(base);
      const body = JSON.stringify(bodyType === undefined ? rest : { ...rest, mediaType: bodyType });
      const digest = await pushed(name, 'latest', body, contentType);
      expect(digest).toBe(sha256(body));
      const response = await get(name, 'latest');
      expect(response.header('content-type')).toBe(expected);
      expect(response.body.toString()).toBe(body);
      expect(await storedMediaType(name, digest)).toBe(expected);
    });

    it.each([
      ['an OCI manifest Content-Type, Docker schema2 body', OCI_MANIFEST, DOCKER_MANIFEST, 'image'],
      ['a Docker schema2 Content-Type, OCI manifest body', DOCKER_MANIFEST, OCI_MANIFEST, 'image'],
      ['an OCI index Content-Type, Docker list body', OCI_INDEX, DOCKER_LIST, 'index'],
      ['an OCI manifest Content-Type, OCI index body', OCI_MANIFEST, OCI_INDEX, 'index'],
    ] as const)('%s is 400 MANIFEST_INVALID (row 10)', async (_label, contentType, bodyType, shape) => {
      const name = uniqueRepo('mismatch');
      const base = shape === 'image' ? await image(name) : { schemaVersion: 2, manifests: [await child(name)] };
      const body = JSON.stringify({ ...base, mediaType: bodyType });
      expectError(await unchanged(() => put(name, 'latest', body, contentType)), 400, 'MANIFEST_INVALID');
    });

    it.each([
      ['an OCI manifest Content-Type', OCI_MANIFEST],
      ['an OCI index Content-Type', OCI_INDEX],
      ['no Content-Type', null],
    ])('a body with both manifests and layers is 400 MANIFEST_INVALID under %s (row 11)', async (_label, contentType) => {
      const name = uniqueRepo('both');
      const manifest = withoutMediaType(await image(name));
      const body = JSON.stringify({ ...manifest, manifests: [await child(name)] });
      expectError(await unchanged(() => put(name, 'latest', body, contentType)), 400, 'MANIFEST_INVALID');
    });
  });

  describe('references', () => {
    it('blobs linked only in another repository: 400 with one MANIFEST_BLOB_UNKNOWN per missing digest (row 12)', async () => {
      const name = uniqueRepo('mine');
      const other = uniqueRepo('theirs');
      const config = await blob(name, '{"os":"linux"}', OCI_CONFIG);
      const foreign = [await blob(other, randomBytes(32)), await blob(other, randomBytes(32))];
      const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: foreign });
      const response = await unchanged(() => put(name, 'latest', body));
      expect(response.status).toBe(400);
      const { errors } = response.json<OciErrorJson>();
      expect(errors.map((e) => e.code)).toEqual(['MANIFEST_BLOB_UNKNOWN', 'MANIFEST_BLOB_UNKNOWN']);
      expect(errors.map((e) => (e.detail as { digest: string }).digest).sort()).toEqual(foreign.map((d) => d.digest).sort());
      expect(await app.query('SELECT digest FROM blob WHERE digest = ANY($1)', [foreign.map((d) => d.digest)])).toHaveLength(2);
    });

    it('a config that was never pushed anywhere is MANIFEST_BLOB_UNKNOWN naming it', async () => {
      const name = uniqueRepo('noconfig');
      const manifest = await image(name);
      const config = { mediaType: OCI_CONFIG, digest: sha256('never pushed'), size: 12 };
      const response = await unchanged(() => put(name, 'latest', JSON.stringify({ ...manifest, config })));
      expectError(response, 400, 'MANIFEST_BLOB_UNKNOWN');
      expect(response.json<OciErrorJson>().errors[0]!.detail).toEqual({ digest: config.digest });
    });

    it('a refused manifest does not create its repository', async () => {
      const name = uniqueRepo('fresh');
      const config = { mediaType: OCI_CONFIG, digest: sha256('nowhere'), size: 7 };
      const response = await unchanged(() => put(name, 'latest', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers: [] })));
      expectError(response, 400, 'MANIFEST_BLOB_UNKNOWN');
      expectError(await registry.request(`/v2/${name}/tags/list`, { method: 'GET' }), 404, 'NAME_UNKNOWN');
    });

    it.each([
      ['a layer', (m: ImageManifest) => ({ ...m, layers: [{ ...m.layers[0]!, size: m.layers[0]!.size + 1 }] })],
      ['the config', (m: ImageManifest) => ({ ...m, config: { ...m.config, size: m.config.size - 1 } })],
    ])('a descriptor size that differs from the stored size of %s is 400 MANIFEST_INVALID (row 13)', async (_label, mutate) => {
      const name = uniqueRepo('size');
      const manifest = await image(name);
      expectError(await unchanged(() => put(name, 'latest', JSON.stringify(mutate(manifest)))), 400, 'MANIFEST_INVALID');
    });

    it('an index with a missing child is 400 MANIFEST_BLOB_UNKNOWN naming only the missing child', async () => {
      const name = uniqueRepo('index-missing');
      const other = uniqueRepo('index-elsewhere');
      const present = await child(name);
      const elsewhere = await child(other);
      const missing = { mediaType: OCI_MANIFEST, digest: sha256('no such manifest'), size: 100 };
      const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [present, elsewhere, missing] });
      const response = await unchanged(() => put(name, 'latest', body, OCI_INDEX));
      expect(response.status).toBe(400);
      const { errors } = response.json<OciErrorJson>();
      expect(errors.map((e) => e.code)).toEqual(['MANIFEST_BLOB_UNKNOWN', 'MANIFEST_BLOB_UNKNOWN']);
      expect(errors.map((e) => (e.detail as { digest: string }).digest).sort()).toEqual([elsewhere.digest, missing.digest].sort());
    });

    it("an index whose descriptor misstates a child's size is 400 MANIFEST_INVALID and stores nothing", async () => {
      const name = uniqueRepo('index-size');
      const present = await child(name);
      for (const size of [present.size + 1, present.size - 1]) {
        const body = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...present, size }] });
        expectError(await unchanged(() => put(name, 'latest', body, OCI_INDEX)), 400, 'MANIFEST_INVALID');
      }
      expect((await put(name, 'latest', JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [present] }), OCI_INDEX)).status).toBe(201);
    });

    it.each([
      ['an OCI index', OCI_INDEX, OCI_MANIFEST],
      ['a Docker manifest list', DOCKER_LIST, DOCKER_MANIFEST],
    ])('%s of existing children is accepted and served as pushed', async (_label, listType, childType) => {
      const name = uniqueRepo('index');
      const children = [];
      for (const arch of ['amd64', 'arm64']) {
        const manifest = { ...(await image(name)), mediaType: childType, annotations: { arch } };
        const bytes = JSON.stringify(manifest);
        children.push({ mediaType: childType, digest: await pushed(name, sha256(bytes), bytes, childType), size: bytes.length, platform: { architecture: arch, os: 'linux' } });
      }
      const body = JSON.stringify({ schemaVersion: 2, mediaType: listType, manifests: children });
      expect(await pushed(name, 'multi', body, listType)).toBe(sha256(body));
      const response = await get(name, 'multi');
      expect(response.header('content-type')).toBe(listType);
      expect(response.body.toString()).toBe(body);
      expect(await app.query('SELECT child_digest FROM manifest_child c JOIN manifest m ON m.id = c.manifest_id WHERE m.digest = $1 ORDER BY 1', [sha256(body)])).toEqual(
        children.map((c) => ({ child_digest: c.digest })).sort((a, b) => a.child_digest.localeCompare(b.child_digest)),
      );
    });

    it('a Docker schema2 image is accepted and served with its own media type', async () => {
      const name = uniqueRepo('docker');
      const config = await blob(name, '{"architecture":"amd64","os":"linux"}', 'application/vnd.docker.container.image.v1+json');
      const layer = await blob(name, randomBytes(128), 'application/vnd.docker.image.rootfs.diff.tar.gzip');
      const body = JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config, layers: [layer] }, null, 3);
      await pushed(name, 'v1', body, DOCKER_MANIFEST);
      const response = await get(name, 'v1');
      expect(response.header('content-type')).toBe(DOCKER_MANIFEST);
      expect(response.body.toString()).toBe(body);
    });

    it.each([
      ['an OCI non-distributable layer', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'],
      ['a Docker foreign layer', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'],
    ])('%s with urls need not exist in the registry', async (_label, mediaType) => {
      const name = uniqueRepo('foreign');
      const manifest = await image(name);
      const foreign = { mediaType, digest: sha256('windows base layer'), size: 1_000_000, urls: ['https://example.com/layer.tar.gz'] };
      const body = JSON.stringify({ ...manifest, layers: [foreign, ...manifest.layers] });
      await pushed(name, 'latest', body);
      expect((await get(name, 'latest')).body.toString()).toBe(body);
    });

    it.each([
      ['a non-distributable layer without urls', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', undefined],
      ['a regular layer with urls', OCI_LAYER, ['https://example.com/layer.tar.gz']],
    ])('%s must exist: 400 MANIFEST_BLOB_UNKNOWN', async (_label, mediaType, urls) => {
      const name = uniqueRepo('notforeign');
      const manifest = await image(name);
      const layer = { mediaType, digest: sha256('absent layer'), size: 12, ...(urls ? { urls } : {}) };
      const response = await unchanged(() => put(name, 'latest', JSON.stringify({ ...manifest, layers: [layer] })));
      expectError(response, 400, 'MANIFEST_BLOB_UNKNOWN');
    });

    it('accepts what conformance pushes: unknown fields, descriptor data, artifactType, unknown config type, no layers', async () => {
      const name = uniqueRepo('custom');
      const config = await blob(name, '{}', 'application/vnd.example.config.v1+json');
      const body = JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        artifactType: 'application/vnd.example.thing',
        config: { ...config, data: Buffer.from('{}').toString('base64') },
        layers: [],
        'x-custom-field': { nested: [1, 2, 3] },
      });
      await pushed(name, 'custom', body);
      expect((await get(name, 'custom')).body.toString()).toBe(body);
    });
  });

  describe('pull', () => {
    // Unusual formatting: any re-serialisation by the server would change these bytes.
    let name: string;
    let bytes: Buffer;

    beforeAll(async () => {
      name = uniqueRepo('pull');
      const manifest = await image(name, { annotations: { 'org.example.z': 'last', 'org.example.a': 'first' } });
      bytes = Buffer.from(`${JSON.stringify(manifest, null, '\t').replace(/\n/g, '\r\n')}\n`);
      await pushed(name, 'latest', bytes);
    });

    it.each([
      ['no Accept', undefined],
      ['*/*', '*/*'],
      ['only another manifest type', DOCKER_MANIFEST],
      ['only a list type', `${DOCKER_LIST}, ${OCI_INDEX}`],
      ['text/html', 'text/html'],
      ['junk', ';;;,,, q=abc'],
      ['q-values', `${OCI_INDEX};q=1.0, ${OCI_MANIFEST};q=0.1`],
    ])('GET with %s returns the exact stored bytes and type', async (_label, accept) => {
      for (const reference of ['latest', sha256(bytes)]) {
        const response = await get(name, reference, accept === undefined ? {} : { Accept: accept });
        expect(response.status).toBe(200);
        expect(response.body.equals(bytes)).toBe(true);
        expect(response.header('content-type')).toBe(OCI_MANIFEST);
        expect(response.header('content-length')).toBe(String(bytes.length));
        expect(response.header('docker-content-digest')).toBe(sha256(bytes));
      }
    });

    it('HEAD carries Content-Type, Content-Length and Docker-Content-Digest, and no body', async () => {
      for (const reference of ['latest', sha256(bytes)]) {
        const response = await head(name, reference);
        expect(response.status).toBe(200);
        expect(response.header('content-type')).toBe(OCI_MANIFEST);
        expect(response.header('content-length')).toBe(String(bytes.length));
        expect(response.header('docker-content-digest')).toBe(sha256(bytes));
        expect(response.header('etag')).toBe(`"${sha256(bytes)}"`);
        expect(response.body).toHaveLength(0);
      }
    });

    it('If-None-Match with the digest ETag is 304 without a body; another ETag gets the manifest', async () => {
      const notModified = await get(name, 'latest', { 'If-None-Match': `"${sha256(bytes)}"` });
      expect(notModified.status).toBe(304);
      expect(notModified.body).toHaveLength(0);
      expect([notModified.header('etag'), notModified.header('docker-content-digest')]).toEqual([`"${sha256(bytes)}"`, sha256(bytes)]);
      expect(notModified.header('content-length')).toBeUndefined();
      const other = await get(name, 'latest', { 'If-None-Match': `"${sha256('something else')}"` });
      expect(other.status).toBe(200);
      expect(other.body.equals(bytes)).toBe(true);
    });

    it('an unknown tag or digest in an existing repository is 404 MANIFEST_UNKNOWN', async () => {
      expectError(await get(name, 'nope'), 404, 'MANIFEST_UNKNOWN');
      expectError(await get(name, sha256('nope')), 404, 'MANIFEST_UNKNOWN');
      expect((await head(name, 'nope')).status).toBe(404);
    });
  });

  describe('push by digest and tags', () => {
    it('PUT by a sha512 digest: the digest is echoed and GET/HEAD by it work', async () => {
      const name = uniqueRepo('sha512');
      const body = JSON.stringify(await image(name));
      const digest = sha512(body);
      const response = await put(name, digest, body);
      expect(response.status).toBe(201);
      expect(response.header('docker-content-digest')).toBe(digest);
      expect(response.header('location')).toBe(`/v2/${name}/manifests/${digest}`);
      const fetched = await get(name, digest);
      expect(fetched.status).toBe(200);
      expect(fetched.body.toString()).toBe(body);
      expect(fetched.header('docker-content-digest')).toBe(digest);
      expect((await head(name, digest)).header('docker-content-digest')).toBe(digest);
    });

    it('?tag=a&tag=b on a digest PUT creates both tags and names them in OCI-Tag', async () => {
      const name = uniqueRepo('tagparam');
      const body = JSON.stringify(await image(name));
      const response = await put(name, `${sha256(body)}?tag=a&tag=b`, body);
      expect(response.status).toBe(201);
      expect(response.header('docker-content-digest')).toBe(sha256(body));
      expect(response.header('oci-tag')!.split(/,\s*/).sort()).toEqual(['a', 'b']);
      expect(await tagsOf(name)).toEqual(['a', 'b']);
      for (const tag of ['a', 'b']) expect((await get(name, tag)).header('docker-content-digest')).toBe(sha256(body));
    });

    it('the same manifest pushed again, under another tag: its push time moves, its size and references stay', async () => {
      const name = uniqueRepo('again');
      const manifest = await image(name);
      const body = JSON.stringify(manifest);
      const digest = await pushed(name, 'v1', body);
      const stored = () =>
        app.query<{ pushed_at: Date; total_size: string; blobs: string[] }>(
          `SELECT m.pushed_at, m.total_size, ARRAY(SELECT mb.digest FROM manifest_blob mb WHERE mb.manifest_id = m.id ORDER BY mb.digest) AS blobs
             FROM manifest m JOIN repository r ON r.id = m.repository_id WHERE r.name = $1 AND m.digest = $2`,
          [name, digest],
        );
      const [first] = await stored();
      await pushed(name, 'v2', body);
      const [again] = await stored();
      expect(again!.pushed_at.getTime()).toBeGreaterThan(first!.pushed_at.getTime());
      expect(Number(again!.total_size)).toBe(Buffer.byteLength(body) + manifest.config.size + manifest.layers[0]!.size);
      expect(again!.blobs).toEqual([manifest.config.digest, manifest.layers[0]!.digest].sort());
      expect(await tagsOf(name)).toEqual(['v1', 'v2']);
      expect((await get(name, 'v2')).header('docker-content-digest')).toBe(digest);
    });

    it('a tag pushed again moves to the new manifest atomically; readers never see it missing', async () => {
      const name = uniqueRepo('move');
      const [first, second] = [JSON.stringify(await image(name)), JSON.stringify(await image(name))];
      await pushed(name, 'stable', first);
      await pushed(name, sha256(second), second);
      const seen = new Set<string>();
      const readers = Array.from({ length: 40 }, async () => {
        const response = await head(name, 'stable');
        expect(response.status).toBe(200);
        seen.add(response.header('docker-content-digest')!);
      });
      const writers = Array.from({ length: 10 }, (_, i) => pushed(name, 'stable', i % 2 === 0 ? second : first));
      await Promise.all([...readers, ...writers]);
      expect([...seen].every((d) => d === sha256(first) || d === sha256(second))).toBe(true);

      await pushed(name, 'stable', second);
      expect((await get(name, 'stable')).body.toString()).toBe(second);
      expect(await app.query("SELECT m.digest FROM tag t JOIN manifest m ON m.id = t.manifest_id WHERE t.name = 'stable' AND m.repository_id = t.repository_id AND t.repository_id = (SELECT id FROM repository WHERE name = $1)", [name])).toEqual([
        { digest: sha256(second) },
      ]);
      expect((await get(name, sha256(first))).status).toBe(200);
    });
  });

  describe('deletion', () => {
    it('DELETE by tag removes only that tag', async () => {
      const name = uniqueRepo('deltag');
      const body = JSON.stringify(await image(name));
      await pushed(name, 'one', body);
      await pushed(name, 'two', body);
      const response = await del(name, 'one');
      expect(response.status).toBe(202);
      expectError(await get(name, 'one'), 404, 'MANIFEST_UNKNOWN');
      expect((await get(name, 'two')).status).toBe(200);
      expect((await get(name, sha256(body))).status).toBe(200);
      expect(await tagsOf(name)).toEqual(['two']);
      expectError(await del(name, 'one'), 404, 'MANIFEST_UNKNOWN');
    });

    it('DELETE by digest removes the manifest and every tag on it, at once', async () => {
      const name = uniqueRepo('deldigest');
      const doomed = JSON.stringify(await image(name));
      const kept = JSON.stringify(await image(name));
      for (const tag of ['t1', 't2', 't3']) await pushed(name, tag, doomed);
      await pushed(name, 'keep', kept);
      expect(await tagsOf(name)).toEqual(['keep', 't1', 't2', 't3']);

      expect((await del(name, sha256(doomed))).status).toBe(202);
      expectError(await get(name, sha256(doomed)), 404, 'MANIFEST_UNKNOWN');
      expect((await head(name, sha256(doomed))).status).toBe(404);
      for (const tag of ['t1', 't2', 't3']) expectError(await get(name, tag), 404, 'MANIFEST_UNKNOWN');
      expect(await tagsOf(name)).toEqual(['keep']);
      expect(await app.query('SELECT 1 FROM manifest WHERE digest = $1', [sha256(doomed)])).toEqual([]);
      expect((await get(name, 'keep')).body.toString()).toBe(kept);
      expectError(await del(name, sha256(doomed)), 404, 'MANIFEST_UNKNOWN');
    });

    it("DELETE of a blob unlinks it from this repository only, even while a manifest references it", async () => {
      const name = uniqueRepo('delblob');
      const other = uniqueRepo('delblob-other');
      const manifest = await image(name);
      const layer = manifest.layers[0]!;
      await pushed(name, 'latest', JSON.stringify(manifest));
      const mount = await registry.request(`/v2/${other}/blobs/uploads/?mount=${layer.digest}&from=${name}`, { method: 'POST' });
      expect(mount.status).toBe(201);

      const response = await registry.request(`/v2/${name}/blobs/${layer.digest}`, { method: 'DELETE' });
      expect(response.status).toBe(202);
      expect(response.header('content-length')).toBe('0');
      expect((await registry.request(`/v2/${name}/blobs/${layer.digest}`, { method: 'HEAD' })).status).toBe(404);
      expectError(await registry.request(`/v2/${name}/blobs/${layer.digest}`, { method: 'GET' }), 404, 'BLOB_UNKNOWN');
      expect((await registry.request(`/v2/${other}/blobs/${layer.digest}`, { method: 'GET' })).body).toHaveLength(layer.size);
      expect(await app.query('SELECT digest FROM blob WHERE digest = $1', [layer.digest])).toHaveLength(1);
      expect((await get(name, 'latest')).status).toBe(200);
      expectError(await registry.request(`/v2/${name}/blobs/${layer.digest}`, { method: 'DELETE' }), 404, 'BLOB_UNKNOWN');
    });
  });

  describe('with WHARF_DELETE_ENABLED=false', () => {
    let readOnly: TestApp;
    let client: RegistryClient;

    beforeAll(async () => {
      readOnly = await startTestApp({ env: { WHARF_DELETE_ENABLED: 'false' } });
      client = new RegistryClient(readOnly.url);
    });
    afterAll(async () => readOnly.close());

    it('DELETE by tag, by digest and of a blob are 405 UNSUPPORTED and delete nothing', async () => {
      const name = 'nodelete/app';
      const { digest } = await client.pushImage(name, 'latest', ['layer bytes']);
      const before = await readOnly.state();
      for (const path of [`manifests/latest`, `manifests/${digest}`, `blobs/${sha256('layer bytes')}`]) {
        expectError(await client.request(`/v2/${name}/${path}`, { method: 'DELETE' }), 405, 'UNSUPPORTED');
      }
      expect(await readOnly.state()).toEqual(before);
      expect((await client.request(`/v2/${name}/manifests/latest`, { method: 'GET' })).status).toBe(200);
      expect((await client.request(`/v2/${name}/blobs/${sha256('layer bytes')}`, { method: 'HEAD' })).status).toBe(200);
    });
  });
});
