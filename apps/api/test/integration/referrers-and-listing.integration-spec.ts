import { randomBytes } from 'node:crypto';

import { expectError, type RawResponse, RegistryClient, sha256 } from './support/registry-client';
import { startTestApp, type TestApp } from './support/test-app';

/*
 * Referrers (protocol.md §3, reliability §4(a) row 16), tag lists and the catalog in byte
 * order with keyset paging (§1 end-8, catalog), and blob reads with ranges (§1 end-2, row 21).
 *
 * The databases here use an en-US (ICU) default collation, like most production servers, where
 * `B` sorts after `a` and punctuation is nearly ignored: byte order must come from the schema.
 */
const LOCALE = 'en-US';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
/** Well-known digests, written out rather than computed: the empty blob and `{}`. */
const EMPTY_BLOB_DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_JSON_DIGEST = 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a';
const EMPTY_DESCRIPTOR = { mediaType: OCI_EMPTY, digest: EMPTY_JSON_DIGEST, size: 2 };

let repoCounter = 0;
const uniqueRepo = (prefix: string) => `listing/${prefix}-${++repoCounter}`;

/** The target of a `Link: <...>; rel="next"` header. */
function nextLink(response: RawResponse): string | undefined {
  const link = response.header('link');
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match) throw new Error(`malformed Link header: ${link}`);
  return match[1];
}

interface ReferrersIndex {
  schemaVersion: number;
  mediaType: string;
  manifests: Record<string, unknown>[];
}

describe('referrers, listings and blob reads', () => {
  let app: TestApp;
  let registry: RegistryClient;

  beforeAll(async () => {
    app = await startTestApp({ icuLocale: LOCALE });
    registry = new RegistryClient(app.url);
  });
  afterAll(async () => app.close());

  const get = (path: string, headers: Record<string, string> = {}) => registry.request(path, { method: 'GET', headers });

  describe('referrers', () => {
    const subjectOf = (digest: string, size = 100) => ({ mediaType: OCI_MANIFEST, digest, size });

    /** Pushes an artifact manifest (image or index) by digest; returns its descriptor as the listing must show it. */
    async function pushReferrer(name: string, manifest: Record<string, unknown>, mediaType = OCI_MANIFEST): Promise<{ response: RawResponse; digest: string; size: number }> {
      const bytes = JSON.stringify({ schemaVersion: 2, mediaType, ...manifest });
      const response = await registry.putManifest(name, sha256(bytes), bytes, mediaType);
      return { response, digest: sha256(bytes), size: Buffer.byteLength(bytes) };
    }

    async function referrers(name: string, subject: string, query = ''): Promise<RawResponse> {
      return get(`/v2/${name}/referrers/${subject}${query}`);
    }

    const byDigest = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.digest).localeCompare(String(b.digest));

    it('a referrer whose subject was never pushed is accepted: 201 with OCI-Subject (row 16), and listed', async () => {
      const name = uniqueRepo('missing-subject');
      await registry.pushBlob(name, '{}');
      const subject = sha256('a subject that is not here');
      const { response, digest, size } = await pushReferrer(name, { artifactType: 'application/vnd.example.sig', config: EMPTY_DESCRIPTOR, layers: [EMPTY_DESCRIPTOR], subject: subjectOf(subject) });
      expect(response.status).toBe(201);
      expect(response.header('oci-subject')).toBe(subject);
      const listing = await referrers(name, subject);
      expect(listing.status).toBe(200);
      expect(listing.json<ReferrersIndex>().manifests).toEqual([{ mediaType: OCI_MANIFEST, digest, size, artifactType: 'application/vnd.example.sig' }]);
    });

    it('a manifest without subject gets no OCI-Subject header', async () => {
      const name = uniqueRepo('no-subject');
      const response = await registry.putManifest(name, 'latest', (await registry.pushImage(name, 'base')).manifest);
      expect(response.status).toBe(201);
      expect(response.header('oci-subject')).toBeUndefined();
    });

    describe('listing', () => {
      let name: string;
      let subject: string;
      let expected: Record<string, Record<string, unknown>>;

      beforeAll(async () => {
        name = uniqueRepo('referrers');
        subject = (await registry.pushImage(name, 'subject')).digest;
        await registry.pushBlob(name, '{}');
        const signatureConfig = 'application/vnd.example.signature.config.v1+json';
        const configDigest = await registry.pushBlob(name, '{"sig":true}');
        const sbom = await pushReferrer(name, {
          artifactType: 'application/vnd.example.sbom+json',
          config: EMPTY_DESCRIPTOR,
          layers: [EMPTY_DESCRIPTOR],
          subject: subjectOf(subject),
          annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z', 'org.example.kind': 'sbom' },
        });
        const signature = await pushReferrer(name, { config: { mediaType: signatureConfig, digest: configDigest, size: 12 }, layers: [], subject: subjectOf(subject) });
        const bundle = await pushReferrer(name, { artifactType: 'application/vnd.example.bundle', manifests: [], subject: subjectOf(subject), annotations: { 'org.example.kind': 'bundle' } }, OCI_INDEX);
        const plainIndex = await pushReferrer(name, { manifests: [], subject: subjectOf(subject) }, OCI_INDEX);
        for (const pushedReferrer of [sbom, signature, bundle, plainIndex]) {
          expect(pushedReferrer.response.status).toBe(201);
          expect(pushedReferrer.response.header('oci-subject')).toBe(subject);
        }
        // Noise that must not show up: another subject here, the same subject in another repository.
        expect((await pushReferrer(name, { artifactType: 'application/vnd.example.sbom+json', config: EMPTY_DESCRIPTOR, layers: [], subject: subjectOf(sha256('other')) })).response.status).toBe(201);
        const elsewhere = uniqueRepo('elsewhere');
        await registry.pushBlob(elsewhere, '{}');
        expect((await pushReferrer(elsewhere, { artifactType: 'application/vnd.example.sbom+json', config: EMPTY_DESCRIPTOR, layers: [], subject: subjectOf(subject) })).response.status).toBe(201);

        expected = {
          sbom: {
            mediaType: OCI_MANIFEST,
            digest: sbom.digest,
            size: sbom.size,
            artifactType: 'application/vnd.example.sbom+json',
            annotations: { 'org.opencontainers.image.created': '2026-01-01T00:00:00Z', 'org.example.kind': 'sbom' },
          },
          signature: { mediaType: OCI_MANIFEST, digest: signature.digest, size: signature.size, artifactType: signatureConfig },
          bundle: { mediaType: OCI_INDEX, digest: bundle.digest, size: bundle.size, artifactType: 'application/vnd.example.bundle', annotations: { 'org.example.kind': 'bundle' } },
          plainIndex: { mediaType: OCI_INDEX, digest: plainIndex.digest, size: plainIndex.size },
        };
      });

      it('lists every referrer with mediaType, digest, size, artifactType (else config.mediaType) and annotations', async () => {
        const response = await referrers(name, subject);
        expect(response.status).toBe(200);
        expect(response.header('content-type')).toBe(OCI_INDEX);
        expect(response.header('oci-filters-applied')).toBeUndefined();
        const body = response.json<ReferrersIndex>();
        expect(body.schemaVersion).toBe(2);
        expect(body.mediaType).toBe(OCI_INDEX);
        expect([...body.manifests].sort(byDigest)).toEqual(Object.values(expected).sort(byDigest));
      });

      it.each([
        ['a literal +', '?artifactType=application/vnd.example.sbom+json', ['sbom']],
        ['an encoded + (%2B)', '?artifactType=application%2Fvnd.example.sbom%2Bjson', ['sbom']],
        ['the config media type of a manifest without artifactType', '?artifactType=application/vnd.example.signature.config.v1+json', ['signature']],
        ['an index artifactType', '?artifactType=application/vnd.example.bundle', ['bundle']],
        ['a prefix (no partial matches)', '?artifactType=application/vnd.example.sbom', []],
        ['another case (exact match)', '?artifactType=application/vnd.example.SBOM+json', []],
      ])('filters on artifactType exactly, given %s, and says so in OCI-Filters-Applied', async (_label, query, keys) => {
        const response = await referrers(name, subject, query);
        expect(response.status).toBe(200);
        expect(response.header('oci-filters-applied')).toBe('artifactType');
        expect(response.json<ReferrersIndex>().manifests).toEqual(keys.map((k) => expected[k]));
      });

      it('forgets a referrer once it is deleted', async () => {
        const before = (await referrers(name, subject)).json<ReferrersIndex>().manifests;
        expect(before).toContainEqual(expected.plainIndex);
        expect((await registry.request(`/v2/${name}/manifests/${expected.plainIndex!.digest as string}`, { method: 'DELETE' })).status).toBe(202);
        const after = (await referrers(name, subject)).json<ReferrersIndex>().manifests;
        expect([...after].sort(byDigest)).toEqual(before.filter((d) => d.digest !== expected.plainIndex!.digest).sort(byDigest));
      });
    });

    it.each([
      ['an unknown repository', async () => uniqueRepo('never-pushed')],
      [
        'an unknown subject in an existing repository',
        async () => {
          const name = uniqueRepo('no-referrers');
          await registry.pushImage(name, 'latest');
          return name;
        },
      ],
    ])('%s answers 200 with an empty index, not 404', async (_label, setUp) => {
      const name = await setUp();
      const before = await app.state();
      const response = await referrers(name, sha256('not a subject'));
      expect(response.status).toBe(200);
      expect(response.header('content-type')).toBe(OCI_INDEX);
      expect(response.json()).toEqual({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });
      expect(await app.state()).toEqual(before);
    });

    it.each(['sha256:xyz', `sha256:${'A'.repeat(64)}`, 'latest', `md5:${'0'.repeat(32)}`])('an invalid subject digest (%s) is 400 DIGEST_INVALID', async (digest) => {
      expectError(await referrers(uniqueRepo('bad-digest'), digest), 400, 'DIGEST_INVALID');
    });
  });

  describe('tag list', () => {
    /** Pushed in this scrambled order; "C" collation is byte order: - . 0-9 A-Z _ a-z. */
    const TAGS = ['a', 'B', 'A_1', 'ab', 'A-1', 'a_b', 'A.1', '_x', 'a.b', 'Z', '0', 'a-b'];
    const BYTE_ORDER = ['0', 'A-1', 'A.1', 'A_1', 'B', 'Z', '_x', 'a', 'a-b', 'a.b', 'a_b', 'ab'];
    let name: string;

    beforeAll(async () => {
      name = uniqueRepo('tags');
      const { manifest } = await registry.pushImage(name, TAGS[0]!);
      for (const tag of TAGS.slice(1)) expect((await registry.putManifest(name, tag, manifest)).status).toBe(201);
    });

    const list = (query = '') => get(`/v2/${name}/tags/list${query}`);

    /** Follows Link headers from `path`; returns every page's tags. */
    async function allPages(path: string): Promise<string[][]> {
      const pages: string[][] = [];
      for (let next: string | undefined = path; next !== undefined && pages.length < 50; ) {
        const response = await get(next);
        expect(response.status).toBe(200);
        pages.push(response.json<{ tags: string[] }>().tags);
        next = nextLink(response);
      }
      return pages;
    }

    it('lists every tag in byte order ("C" collation: B < a, A-1 < A.1 < A_1)', async () => {
      const response = await list();
      expect(response.status).toBe(200);
      expect(response.header('content-type')).toBe('application/json');
      expect(response.header('link')).toBeUndefined();
      expect(response.json()).toEqual({ name, tags: BYTE_ORDER });
    });

    it('pages with n and the exact Link format', async () => {
      const first = await list('?n=5');
      expect(first.json()).toEqual({ name, tags: ['0', 'A-1', 'A.1', 'A_1', 'B'] });
      expect(first.header('link')).toBe(`</v2/${name}/tags/list?last=B&n=5>; rel="next"`);
      const second = await get(nextLink(first)!);
      expect(second.json()).toEqual({ name, tags: ['Z', '_x', 'a', 'a-b', 'a.b'] });
      expect(second.header('link')).toBe(`</v2/${name}/tags/list?last=a.b&n=5>; rel="next"`);
      const third = await get(nextLink(second)!);
      expect(third.json()).toEqual({ name, tags: ['a_b', 'ab'] });
      expect(third.header('link')).toBeUndefined();
    });

    it.each([1, 2, 3, 5, 7, 11, 12, 13, 100])('following Links with n=%i returns every tag exactly once, in order', async (n) => {
      const pages = await allPages(`/v2/${name}/tags/list?n=${n}`);
      expect(pages.flat()).toEqual(BYTE_ORDER);
      expect(pages.slice(0, -1).every((page) => page.length === n)).toBe(true);
      expect(pages).toHaveLength(Math.max(1, Math.ceil(BYTE_ORDER.length / n)));
    });

    it.each([
      ['an existing tag, exclusive', 'A.1', ['A_1', 'B', 'Z', '_x', 'a', 'a-b', 'a.b', 'a_b', 'ab']],
      ['a tag that does not exist (A0 sorts between A.1 and A_1)', 'A0', ['A_1', 'B', 'Z', '_x', 'a', 'a-b', 'a.b', 'a_b', 'ab']],
      ['uppercase B, before every lowercase tag', 'B', ['Z', '_x', 'a', 'a-b', 'a.b', 'a_b', 'ab']],
      ['the last tag', 'ab', []],
      ['something after every tag', 'zzz', []],
    ])('last= %s', async (_label, last, expected) => {
      const response = await list(`?last=${last}`);
      expect(response.json()).toEqual({ name, tags: expected });
      expect(response.header('link')).toBeUndefined();
    });

    it('n and last together continue from last with a Link carrying the new last', async () => {
      const response = await list('?n=2&last=Z');
      expect(response.json()).toEqual({ name, tags: ['_x', 'a'] });
      expect(response.header('link')).toBe(`</v2/${name}/tags/list?last=a&n=2>; rel="next"`);
    });

    it('a repository that does not exist is 404 NAME_UNKNOWN', async () => {
      expectError(await get(`/v2/${uniqueRepo('nothing')}/tags/list`), 404, 'NAME_UNKNOWN');
    });

    it('tags of a deleted manifest disappear from the list', async () => {
      const repo = uniqueRepo('recount');
      const kept = await registry.pushImage(repo, 'kept', ['kept layer']);
      const gone = await registry.pushImage(repo, 'gone-1', ['gone layer']);
      expect((await registry.putManifest(repo, 'gone-2', gone.manifest)).status).toBe(201);
      expect((await get(`/v2/${repo}/tags/list`)).json()).toEqual({ name: repo, tags: ['gone-1', 'gone-2', 'kept'] });
      expect((await registry.request(`/v2/${repo}/manifests/${gone.digest}`, { method: 'DELETE' })).status).toBe(202);
      expect((await get(`/v2/${repo}/tags/list`)).json()).toEqual({ name: repo, tags: ['kept'] });
      expect(kept.digest).not.toBe(gone.digest);
    });
  });

  describe('catalog (own database: it lists every repository)', () => {
    /** Byte order puts `-` `.` `/` before digits and `_` before lowercase letters. */
    const WITH_MANIFESTS = ['ab', 'a_b', 'b', 'a/b', 'a0', 'a.b', 'a', 'a-b'];
    const BYTE_ORDER = ['a', 'a-b', 'a.b', 'a/b', 'a0', 'a_b', 'ab', 'b'];
    let catalogApp: TestApp;
    let client: RegistryClient;

    beforeAll(async () => {
      catalogApp = await startTestApp({ icuLocale: LOCALE });
      client = new RegistryClient(catalogApp.url);
      for (const name of WITH_MANIFESTS) await client.pushImage(name, 'latest');
      await client.pushBlob('blob-only', 'just a blob');
      await client.startUpload('upload-only');
      const { digest } = await client.pushImage('deleted', 'latest');
      expect((await client.request(`/v2/deleted/manifests/${digest}`, { method: 'DELETE' })).status).toBe(202);
    });
    afterAll(async () => catalogApp.close());

    const catalog = (query = '') => client.request(`/v2/_catalog${query}`, { method: 'GET' });

    it('lists only repositories that hold a manifest, in byte order', async () => {
      const response = await catalog();
      expect(response.status).toBe(200);
      expect(response.header('content-type')).toBe('application/json');
      expect(response.header('link')).toBeUndefined();
      expect(response.json()).toEqual({ repositories: BYTE_ORDER });
    });

    it('pages with n and the exact Link format, and following Links returns every name once', async () => {
      const first = await catalog('?n=3');
      expect(first.json()).toEqual({ repositories: ['a', 'a-b', 'a.b'] });
      expect(first.header('link')).toBe('</v2/_catalog?last=a.b&n=3>; rel="next"');
      const names: string[] = [];
      for (let response = first; ; ) {
        names.push(...response.json<{ repositories: string[] }>().repositories);
        const next = nextLink(response);
        if (next === undefined) break;
        response = await client.request(next, { method: 'GET' });
      }
      expect(names).toEqual(BYTE_ORDER);
    });

    it('last is exclusive and may contain a slash', async () => {
      expect((await catalog('?last=a%2Fb')).json()).toEqual({ repositories: ['a0', 'a_b', 'ab', 'b'] });
      expect((await catalog('?last=a.b&n=2')).json()).toEqual({ repositories: ['a/b', 'a0'] });
    });
  });

  describe('blob reads', () => {
    const data = randomBytes(4000);
    let name: string;
    let digest: string;

    beforeAll(async () => {
      name = uniqueRepo('blobs');
      digest = await registry.pushBlob(name, data);
    });

    const blobGet = (headers: Record<string, string> = {}) => get(`/v2/${name}/blobs/${digest}`, headers);

    it('HEAD answers Content-Length, Docker-Content-Digest and Content-Type application/octet-stream, with no body', async () => {
      const response = await registry.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.header('content-length')).toBe('4000');
      expect(response.header('docker-content-digest')).toBe(digest);
      expect(response.header('content-type')).toBe('application/octet-stream');
      expect(response.header('accept-ranges')).toBe('bytes');
      expect(response.body).toHaveLength(0);
    });

    it('GET returns the bytes with the same headers', async () => {
      const response = await blobGet();
      expect(response.status).toBe(200);
      expect(response.header('content-length')).toBe('4000');
      expect(response.header('docker-content-digest')).toBe(digest);
      expect(response.header('content-type')).toBe('application/octet-stream');
      expect(response.body.equals(data)).toBe(true);
    });

    it.each([
      ['bytes=500-1499', 500, 1499],
      ['bytes=500-', 500, 3999],
      ['bytes=-500', 3500, 3999],
      ['bytes=2000-5000', 2000, 3999],
      ['bytes=0-0', 0, 0],
      ['bytes=3999-3999', 3999, 3999],
      ['bytes=-9000', 0, 3999],
    ])('Range %s → 206 with Content-Range bytes %i-%i/4000', async (range, start, end) => {
      const response = await blobGet({ Range: range });
      expect(response.status).toBe(206);
      expect(response.header('content-range')).toBe(`bytes ${start}-${end}/4000`);
      expect(response.header('content-length')).toBe(String(end - start + 1));
      expect(response.header('docker-content-digest')).toBe(digest);
      expect(response.body.equals(data.subarray(start, end + 1))).toBe(true);
    });

    it.each(['bytes=500-0', 'bytes=4000-', 'bytes=5000-10000', 'bytes=-0'])('Range %s → 416 with Content-Range bytes */4000', async (range) => {
      const response = await blobGet({ Range: range });
      expectError(response, 416, 'RANGE_INVALID');
      expect(response.header('content-range')).toBe('bytes */4000');
    });

    it("a blob stored only in another repository is 404 BLOB_UNKNOWN there (row 21)", async () => {
      const other = uniqueRepo('other');
      await registry.pushBlob(other, 'something else');
      const response = await get(`/v2/${other}/blobs/${digest}`);
      expectError(response, 404, 'BLOB_UNKNOWN');
      expect(response.json<{ errors: { detail?: unknown }[] }>().errors[0]!.detail).toEqual({ digest });
      const headResponse = await registry.request(`/v2/${other}/blobs/${digest}`, { method: 'HEAD' });
      expect(headResponse.status).toBe(404);
      expect(headResponse.body).toHaveLength(0);
    });

    it.each([
      ['the empty blob', '', EMPTY_BLOB_DIGEST],
      ['the {} blob', '{}', EMPTY_JSON_DIGEST],
    ])('%s is pushed, HEAD and GET work', async (_label, content, expectedDigest) => {
      const repo = uniqueRepo('tiny');
      expect(await registry.pushBlob(repo, content)).toBe(expectedDigest);
      const headResponse = await registry.request(`/v2/${repo}/blobs/${expectedDigest}`, { method: 'HEAD' });
      expect(headResponse.status).toBe(200);
      expect(headResponse.header('content-length')).toBe(String(content.length));
      expect(headResponse.header('docker-content-digest')).toBe(expectedDigest);
      const response = await get(`/v2/${repo}/blobs/${expectedDigest}`);
      expect(response.status).toBe(200);
      expect(response.header('content-length')).toBe(String(content.length));
      expect(response.body.toString()).toBe(content);
      expect(await app.query('SELECT size FROM blob WHERE digest = $1', [expectedDigest])).toEqual([{ size: String(content.length) }]);
    });

    it('the empty blob can also be pushed in a single POST', async () => {
      const repo = uniqueRepo('tiny-post');
      const response = await registry.request(`/v2/${repo}/blobs/uploads/?digest=${EMPTY_BLOB_DIGEST}`, { method: 'POST', headers: { 'Content-Length': '0' } });
      expect(response.status).toBe(201);
      expect(response.header('location')).toBe(`/v2/${repo}/blobs/${EMPTY_BLOB_DIGEST}`);
      expect(response.header('docker-content-digest')).toBe(EMPTY_BLOB_DIGEST);
      expect((await registry.request(`/v2/${repo}/blobs/${EMPTY_BLOB_DIGEST}`, { method: 'HEAD' })).status).toBe(200);
    });
  });
});
