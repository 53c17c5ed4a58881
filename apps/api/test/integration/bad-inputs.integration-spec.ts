import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { connect } from 'node:net';

import { codesOf, expectError, openRequest, RegistryClient, send, sendPath, sha256 } from './support/registry-client';
import { startTestApp, type RegistryState, type TestApp } from './support/test-app';

/*
 * Reliability plan §4(a), rows 1–24: every client mistake gets its exact status and OCI code,
 * is never a 5xx, and changes nothing (no blob, link, manifest, tag or repository row; an
 * open upload session keeps its offset). Rows covered elsewhere: 10–13 in
 * manifests.integration-spec.ts, 16 and 21 in referrers-and-listing.integration-spec.ts.
 * Rows 25–29 (quotas, auth) are out of scope here.
 */

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const HEX64 = 'a'.repeat(64);
const A_DIGEST = `sha256:${HEX64}`;

/** Malformed or unsupported digests (rows 2, 3, 20), each with a label. */
const BAD_DIGESTS: [string, string][] = [
  ['not hex', 'sha256:xyz'],
  ['63 hex digits', `sha256:${'a'.repeat(63)}`],
  ['65 hex digits', `sha256:${'a'.repeat(65)}`],
  ['uppercase hex', `sha256:${'A'.repeat(64)}`],
  ['md5', 'md5:d41d8cd98f00b204e9800998ecf8427e'],
  ['an unknown algorithm', `blake9:${HEX64}`],
  ['path traversal', 'sha256:../../x'],
  ['no algorithm', HEX64],
];

let repoCounter = 0;
/** A fresh repository name per test, so no test sees another's rows. */
const uniqueRepo = (prefix: string) => `bad/${prefix}-${++repoCounter}`;

describe('bad inputs (reliability §4(a))', () => {
  let app: TestApp;
  let registry: RegistryClient;

  beforeAll(async () => {
    app = await startTestApp();
    registry = new RegistryClient(app.url);
  });
  afterAll(async () => app.close());

  const unchanged = <T>(act: () => Promise<T>) => app.unchanged(act);

  /** Same, but tolerates new rows in `repository` (upload starts create the repository). */
  async function nothingStored<T>(act: () => Promise<T>): Promise<T> {
    const strip = ({ repositories: _ignored, ...rest }: RegistryState) => rest;
    const before = strip(await app.state());
    const result = await act();
    expect(strip(await app.state())).toEqual(before);
    return result;
  }

  /** An open upload session holding `data`; returns its Location. */
  async function sessionWith(name: string, data: string): Promise<string> {
    const location = await registry.startUpload(name);
    const patch = await send(registry.url(location), { method: 'PATCH', body: data });
    expect(patch.status).toBe(202);
    return location;
  }

  async function uploadRange(location: string): Promise<string | undefined> {
    const status = await send(registry.url(location), { method: 'GET' });
    expect(status.status).toBe(204);
    return status.header('range');
  }

  function withDigest(location: string, digest: string): string {
    const url = new URL(registry.url(location));
    url.searchParams.set('digest', digest);
    return url.toString();
  }

  async function pushConfig(name: string): Promise<{ digest: string; manifest: (extra?: object) => string }> {
    const digest = await registry.pushBlob(name, '{}');
    return {
      digest,
      manifest: (extra = {}) => JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.empty.v1+json', digest, size: 2 }, layers: [], ...extra }),
    };
  }

  describe('blob digests (rows 1–4)', () => {
    it.each(BAD_DIGESTS)('closing an upload with ?digest= %s is 400 DIGEST_INVALID; the session keeps its bytes', async (_label, digest) => {
      const name = uniqueRepo('close');
      const location = await sessionWith(name, 'hello');
      const response = await unchanged(() => send(withDigest(location, digest), { method: 'PUT' }));
      expectError(response, 400, 'DIGEST_INVALID');
      expect(await uploadRange(location)).toBe('0-4');
      // The session still works with the right digest.
      expect((await send(withDigest(location, sha256('hello')), { method: 'PUT' })).status).toBe(201);
    });

    it.each(BAD_DIGESTS)('a monolithic POST ?digest= %s is 400 DIGEST_INVALID and creates nothing, not even the repository', async (_label, digest) => {
      const name = uniqueRepo('mono');
      const target = new URL(`${app.url}/v2/${name}/blobs/uploads/`);
      target.searchParams.set('digest', digest);
      const response = await unchanged(() => send(target.toString(), { method: 'POST', body: 'hello' }));
      expectError(response, 400, 'DIGEST_INVALID');
    });

    it.each(BAD_DIGESTS.filter(([label]) => label !== 'path traversal'))('GET, HEAD and DELETE of blob %s are 400 DIGEST_INVALID', async (_label, digest) => {
      const name = uniqueRepo('read');
      await registry.pushBlob(name, 'present');
      await unchanged(async () => {
        expectError(await registry.request(`/v2/${name}/blobs/${digest}`, { method: 'GET' }), 400, 'DIGEST_INVALID');
        expectError(await registry.request(`/v2/${name}/blobs/${digest}`, { method: 'DELETE' }), 400, 'DIGEST_INVALID');
        const head = await registry.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' });
        expect(head.status).toBe(400);
        expect(head.body).toHaveLength(0);
      });
    });

    it('a monolithic POST whose bytes hash to another digest is 400 DIGEST_INVALID; neither digest becomes visible (row 1)', async () => {
      const name = uniqueRepo('mismatch');
      const claimed = sha256('what the client meant');
      const response = await nothingStored(() => registry.request(`/v2/${name}/blobs/uploads/?digest=${claimed}`, { method: 'POST', body: 'what it sent' }));
      expectError(response, 400, 'DIGEST_INVALID');
      for (const digest of [claimed, sha256('what it sent')]) {
        expect((await registry.request(`/v2/${name}/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
      }
    });

    it('closing an upload without ?digest= is 400 DIGEST_INVALID; the body it carried is not appended (row 4)', async () => {
      const name = uniqueRepo('nodigest');
      const location = await sessionWith(name, 'hello');
      const response = await unchanged(() => send(registry.url(location), { method: 'PUT', body: ' world' }));
      expectError(response, 400, 'DIGEST_INVALID');
      expect(await uploadRange(location)).toBe('0-4');
    });

    it.each(['md5', 'SHA256', 'sha384', ''])('POST ?digest-algorithm=%j is 400 DIGEST_INVALID and opens no session', async (algorithm) => {
      const name = uniqueRepo('algorithm');
      const response = await unchanged(() => registry.request(`/v2/${name}/blobs/uploads/?digest-algorithm=${algorithm}`, { method: 'POST' }));
      expectError(response, 400, 'DIGEST_INVALID');
    });
  });

  describe('upload sessions (rows 5–8)', () => {
    it('a final chunk whose Content-Length disagrees with its Content-Range is 400 SIZE_INVALID; the session is untouched (row 5)', async () => {
      const name = uniqueRepo('size');
      const location = await sessionWith(name, 'hello');
      const response = await unchanged(() =>
        send(withDigest(location, sha256('hello world')), { method: 'PUT', body: ' wo', headers: { 'Content-Range': '5-10', 'Content-Length': '3' } }),
      );
      expectError(response, 400, 'SIZE_INVALID');
      expect(await uploadRange(location)).toBe('0-4');
    });

    it('a chunk cut off before its declared Content-Length is all-or-nothing: the session keeps its old offset (row 5)', async () => {
      const name = uniqueRepo('cut');
      const location = await sessionWith(name, 'hello');
      const authorization = await app.authorization('PATCH', location);
      await unchanged(async () => {
        const request = openRequest(registry.url(location), { method: 'PATCH', headers: { Authorization: authorization, 'Content-Length': '100', 'Content-Range': '5-104' } });
        await request.write('x'.repeat(40));
        await new Promise((resolve) => setTimeout(resolve, 100));
        request.abort();
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      expect(await uploadRange(location)).toBe('0-4');
      // The client can resend the chunk whole.
      const resend = await send(registry.url(location), { method: 'PATCH', body: 'y'.repeat(100), headers: { 'Content-Range': '5-104' } });
      expect(resend.status).toBe(202);
      expect(resend.header('range')).toBe('0-104');
      const data = `hello${'y'.repeat(100)}`;
      expect((await send(withDigest(location, sha256(data)), { method: 'PUT' })).status).toBe(201);
      expect((await registry.request(`/v2/${name}/blobs/${sha256(data)}`, { method: 'GET' })).body.toString()).toBe(data);
    });

    it.each([
      ['overlapping the stored bytes', '5-14'],
      ['re-sending the first chunk', '0-9'],
      ['leaving a gap', '20-29'],
    ])('a chunk %s is 416 RANGE_INVALID; GET still shows the last good Range (row 6)', async (_label, contentRange) => {
      const name = uniqueRepo('range');
      const location = await sessionWith(name, '0123456789');
      const response = await unchanged(() => send(registry.url(location), { method: 'PATCH', body: 'abcdefghij', headers: { 'Content-Range': contentRange, 'Content-Length': '10' } }));
      expectError(response, 416, 'RANGE_INVALID');
      expect(await uploadRange(location)).toBe('0-9');
    });

    it.each([
      ['a random id', () => randomUUID()],
      ['an id that is not a UUID', () => 'not-a-uuid'],
      ['an overlong id', () => 'a'.repeat(5_000)],
    ])('PATCH, PUT, GET and DELETE of %s are 404 BLOB_UPLOAD_UNKNOWN (row 7)', async (_label, id) => {
      const name = uniqueRepo('unknown');
      await registry.startUpload(name);
      const location = `/v2/${name}/blobs/uploads/${id()}`;
      await unchanged(async () => {
        for (const method of ['PATCH', 'PUT', 'GET', 'DELETE']) {
          const url = method === 'PUT' ? withDigest(location, sha256('x')) : registry.url(location);
          expectError(await send(url, { method, ...(method === 'PATCH' ? { body: 'x' } : {}) }), 404, 'BLOB_UPLOAD_UNKNOWN');
        }
      });
    });

    it('a finished upload is gone: PATCH, PUT, GET and DELETE are 404 BLOB_UPLOAD_UNKNOWN (row 7)', async () => {
      const name = uniqueRepo('finished');
      const location = await sessionWith(name, 'done');
      expect((await send(withDigest(location, sha256('done')), { method: 'PUT' })).status).toBe(201);
      await unchanged(async () => {
        for (const method of ['PATCH', 'PUT', 'GET', 'DELETE']) {
          const url = method === 'PUT' ? withDigest(location, sha256('done')) : registry.url(location);
          expectError(await send(url, { method, ...(method === 'PATCH' ? { body: 'more' } : {}) }), 404, 'BLOB_UPLOAD_UNKNOWN');
        }
      });
      expect((await registry.request(`/v2/${name}/blobs/${sha256('done')}`, { method: 'GET' })).body.toString()).toBe('done');
    });

    it("another repository's upload id is 404 BLOB_UPLOAD_UNKNOWN for every method; the owner's session is intact (row 8)", async () => {
      const owner = uniqueRepo('owner');
      const intruder = uniqueRepo('intruder');
      await registry.startUpload(intruder);
      const location = await sessionWith(owner, 'mine');
      const foreign = location.replace(`/v2/${owner}/`, `/v2/${intruder}/`);
      expect(foreign).not.toBe(location);
      await unchanged(async () => {
        for (const method of ['PATCH', 'PUT', 'GET', 'DELETE']) {
          const url = method === 'PUT' ? withDigest(foreign, sha256('mine')) : registry.url(foreign);
          expectError(await send(url, { method, ...(method === 'PATCH' ? { body: 'theirs' } : {}) }), 404, 'BLOB_UPLOAD_UNKNOWN');
        }
      });
      expect(await uploadRange(location)).toBe('0-3');
      expect((await send(withDigest(location, sha256('mine')), { method: 'PUT' })).status).toBe(201);
      expect((await registry.request(`/v2/${intruder}/blobs/${sha256('mine')}`, { method: 'HEAD' })).status).toBe(404);
    });
  });

  describe('manifests (rows 9, 14, 15, 17, 18)', () => {
    it.each([
      ['truncated JSON', (m: string) => m.slice(0, m.length - 10)],
      ['an empty body', () => ''],
      ['a JSON array', () => '[]'],
      ['a JSON string', () => '"manifest"'],
      ['schemaVersion 1', (m: string) => m.replace('"schemaVersion":2', '"schemaVersion":1')],
      ['schemaVersion 3', (m: string) => m.replace('"schemaVersion":2', '"schemaVersion":3')],
      ['schemaVersion "2" (a string)', (m: string) => m.replace('"schemaVersion":2', '"schemaVersion":"2"')],
      ['no schemaVersion', (m: string) => m.replace('"schemaVersion":2,', '')],
      ['no config', (m: string) => JSON.stringify({ ...JSON.parse(m), config: undefined })],
      ['a config digest that is not a digest', (m: string) => m.replace(/sha256:[0-9a-f]{64}/, 'sha256:xyz')],
      ['a negative size', (m: string) => m.replace('"size":2', '"size":-2')],
      ['layers that are not an array', (m: string) => m.replace('"layers":[]', '"layers":{}')],
      ['a NUL in an annotation', (m: string) => m.replace('"layers":[]', '"layers":[],"annotations":{"a":"x\\u0000y"}')],
      ['an unpaired surrogate in an annotation', (m: string) => m.replace('"layers":[]', '"layers":[],"annotations":{"a":"\\ud800"}')],
      ['a NUL in artifactType', (m: string) => m.replace('"layers":[]', '"layers":[],"artifactType":"application/x\\u0000"')],
    ])('%s is 400 MANIFEST_INVALID and stores nothing (row 9)', async (_label, mutate) => {
      const name = uniqueRepo('invalid');
      const { manifest } = await pushConfig(name);
      const body = mutate(manifest());
      const response = await unchanged(() => registry.putManifest(name, 'latest', body));
      expectError(response, 400, 'MANIFEST_INVALID');
      expect((await registry.request(`/v2/${name}/manifests/latest`, { method: 'HEAD' })).status).toBe(404);
    });

    it.each(['application/vnd.docker.distribution.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws'])(
      'schema1 (%s) is refused with 400 MANIFEST_INVALID',
      async (contentType) => {
        const name = uniqueRepo('schema1');
        const schema1 = JSON.stringify({ schemaVersion: 1, name, tag: 'latest', architecture: 'amd64', fsLayers: [{ blobSum: A_DIGEST }], history: [{ v1Compatibility: '{}' }] });
        const response = await unchanged(() => registry.putManifest(name, 'latest', schema1, contentType));
        expectError(response, 400, 'MANIFEST_INVALID');
      },
    );

    it('a manifest of exactly 4 MiB is accepted (the limit is inclusive)', async () => {
      const name = uniqueRepo('limit');
      const { manifest } = await pushConfig(name);
      const body = manifest().padEnd(4 * 1024 * 1024, ' ');
      const response = await registry.putManifest(name, 'latest', body);
      expect(response.status).toBe(201);
      expect(response.header('docker-content-digest')).toBe(sha256(body));
    });

    it('a manifest one byte over 4 MiB is 413 MANIFEST_INVALID (row 14)', async () => {
      const name = uniqueRepo('over');
      const { manifest } = await pushConfig(name);
      const response = await unchanged(() => registry.putManifest(name, 'latest', manifest().padEnd(4 * 1024 * 1024 + 1, ' ')));
      expectError(response, 413, 'MANIFEST_INVALID');
    });

    it('a Content-Length over the limit is refused with 413 before any body byte is sent (row 14)', async () => {
      const name = uniqueRepo('declared');
      const authorization = await app.authorization('PUT', `/v2/${name}/manifests/latest`);
      await unchanged(async () => {
        const request = openRequest(`${app.url}/v2/${name}/manifests/latest`, {
          method: 'PUT',
          headers: { Authorization: authorization, 'Content-Type': OCI_MANIFEST, 'Content-Length': String(64 * 1024 * 1024) },
        });
        const response = await request.response;
        request.abort();
        expectError(response, 413, 'MANIFEST_INVALID');
        expect(response.header('connection')).toBe('close');
      });
    });

    it('a streamed (chunked) body is cut off at the limit: 413 arrives while the client is still sending (row 14)', async () => {
      const name = uniqueRepo('streamed');
      const total = 32 * 1024 * 1024;
      const authorization = await app.authorization('PUT', `/v2/${name}/manifests/latest`);
      await unchanged(async () => {
        // A raw socket, like curl or Go's client: it keeps reading while it sends, so it sees
        // the 413 even if the server stops reading (Node's client would report EPIPE instead).
        const { port } = new URL(app.url);
        const socket = connect(Number(port), '127.0.0.1');
        let received = '';
        socket.on('data', (data: Buffer) => (received += data.toString('latin1')));
        socket.on('error', () => undefined);
        socket.write(`PUT /v2/${name}/manifests/latest HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: ${OCI_MANIFEST}\r\nTransfer-Encoding: chunked\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        while (!received.includes('\r\n\r\n') && sent < total && !socket.destroyed) {
          const frame = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
          await new Promise<void>((resolve) => (socket.write(frame) ? resolve() : socket.once('drain', () => resolve())));
          sent += chunk.length;
        }
        for (let waited = 0; !/\r\n\r\n[\s\S]*\}\]\}/.test(received) && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        socket.destroy();
        expect(received).toMatch(/^HTTP\/1\.1 413 /);
        expect(received).toContain('"code":"MANIFEST_INVALID"');
        // The server answered without reading the whole body.
        expect(sent).toBeLessThan(total);
      });
    });

    it('more descriptors than the cap (10,000) is 400 MANIFEST_INVALID, before any lookup (row 17)', async () => {
      const name = uniqueRepo('layers');
      const { manifest } = await pushConfig(name);
      const layers = Array.from({ length: 10_001 }, (_, i) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256(String(i)), size: 1 }));
      const response = await unchanged(() => registry.putManifest(name, 'latest', manifest({ layers })));
      expectError(response, 400, 'MANIFEST_INVALID');
    });

    it.each([
      ['a body that hashes to another digest', (m: string) => ({ body: m, reference: sha256(`${m}x`) })],
      ['trailing whitespace, PUT by the digest of the trimmed body', (m: string) => ({ body: `${m}\n`, reference: sha256(m) })],
      ['sha512 reference of the sha256 body', (m: string) => ({ body: m, reference: `sha512:${'b'.repeat(128)}` })],
      ['the conformance "sha256:baddigeststring"', (m: string) => ({ body: m, reference: 'sha256:baddigeststring' })],
      ['uppercase hex', (m: string) => ({ body: m, reference: sha256(m).toUpperCase().replace('SHA256', 'sha256') })],
      ['md5', (m: string) => ({ body: m, reference: 'md5:d41d8cd98f00b204e9800998ecf8427e' })],
    ])('PUT by digest with %s is 400 DIGEST_INVALID and stores nothing (row 15)', async (_label, make) => {
      const name = uniqueRepo('digest');
      const { manifest } = await pushConfig(name);
      const { body, reference } = make(manifest());
      const response = await unchanged(() => registry.putManifest(name, reference, body));
      expectError(response, 400, 'DIGEST_INVALID');
      expect((await registry.request(`/v2/${name}/manifests/${sha256(body)}`, { method: 'HEAD' })).status).toBe(404);
    });

    it.each([
      ['129 characters', 'a'.repeat(129)],
      ['a leading dot', '.latest'],
      ['a leading dash', '-latest'],
      ['an encoded slash', 'feature%2Fx'],
      ['an encoded space', 'my%20tag'],
      ['a plus', 'v1+build'],
    ])('a tag with %s is 400 TAG_INVALID and stores nothing (row 18)', async (_label, tag) => {
      const name = uniqueRepo('tag');
      const { manifest } = await pushConfig(name);
      const response = await unchanged(() => registry.raw(`/v2/${name}/manifests/${tag}`, { method: 'PUT', body: manifest(), headers: { 'Content-Type': OCI_MANIFEST } }));
      expectError(response, 400, 'TAG_INVALID');
    });

    it('a tag with a raw slash matches no endpoint: 404, nothing stored (row 18)', async () => {
      const name = uniqueRepo('slash');
      const { manifest } = await pushConfig(name);
      const response = await unchanged(() => registry.raw(`/v2/${name}/manifests/feature/x`, { method: 'PUT', body: manifest(), headers: { 'Content-Type': OCI_MANIFEST } }));
      expect(response.status).toBe(404);
    });

    it('a tag of exactly 128 characters is accepted', async () => {
      const name = uniqueRepo('tag128');
      const { manifest } = await pushConfig(name);
      expect((await registry.putManifest(name, 'a'.repeat(128), manifest())).status).toBe(201);
      expect((await registry.request(`/v2/${name}/tags/list`, { method: 'GET' })).json()).toEqual({ name, tags: ['a'.repeat(128)] });
    });

    it('one invalid ?tag= on a digest PUT refuses the whole push: 400 TAG_INVALID, no manifest, no tag (row 18)', async () => {
      const name = uniqueRepo('tagparam');
      const { manifest } = await pushConfig(name);
      const body = manifest();
      const response = await unchanged(() => registry.putManifest(name, `${sha256(body)}?tag=good&tag=.bad`, body));
      expectError(response, 400, 'TAG_INVALID');
    });

    it.each(BAD_DIGESTS.filter(([label]) => label !== 'no algorithm'))(
      'a manifest reference with %s: PUT and DELETE are 400 DIGEST_INVALID, GET and HEAD 404',
      async (_label, digest) => {
        const name = uniqueRepo('refdigest');
        const { manifest } = await pushConfig(name);
        expect((await registry.putManifest(name, 'latest', manifest())).status).toBe(201);
        const path = `/v2/${name}/manifests/${encodeURIComponent(digest)}`;
        await unchanged(async () => {
          expectError(await registry.raw(path, { method: 'PUT', body: manifest(), headers: { 'Content-Type': OCI_MANIFEST } }), 400, 'DIGEST_INVALID');
          expectError(await registry.raw(path, { method: 'DELETE' }), 400, 'DIGEST_INVALID');
          expectError(await registry.raw(path, { method: 'GET' }), 404, 'MANIFEST_UNKNOWN');
          expect((await registry.raw(path, { method: 'HEAD' })).status).toBe(404);
        });
      },
    );

    it('a manifest body cut off by a disconnect (Content-Length not reached) stores nothing', async () => {
      const name = uniqueRepo('cutoff');
      const { manifest } = await pushConfig(name);
      const body = manifest();
      const authorization = await app.authorization('PUT', `/v2/${name}/manifests/latest`);
      await unchanged(async () => {
        const request = openRequest(`${app.url}/v2/${name}/manifests/latest`, {
          method: 'PUT',
          headers: { Authorization: authorization, 'Content-Type': OCI_MANIFEST, 'Content-Length': String(body.length) },
        });
        await request.write(body.slice(0, body.length - 1));
        await new Promise((resolve) => setTimeout(resolve, 100));
        request.abort();
        await new Promise((resolve) => setTimeout(resolve, 300));
      });
      expect((await registry.request(`/v2/${name}/manifests/latest`, { method: 'HEAD' })).status).toBe(404);
    });

    it.each(['.INVALID_MANIFEST_NAME', 'sha256:totallywrong'])('GET and HEAD of the invalid reference %s are 404', async (reference) => {
      const name = uniqueRepo('getref');
      await registry.pushImage(name, 'latest');
      expectError(await registry.request(`/v2/${name}/manifests/${reference}`, { method: 'GET' }), 404, 'MANIFEST_UNKNOWN');
      expect((await registry.request(`/v2/${name}/manifests/${reference}`, { method: 'HEAD' })).status).toBe(404);
    });
  });

  describe('repository names (row 19)', () => {
    const longName = 'a'.repeat(256);
    const names: [string, string][] = [
      ['uppercase', 'Team/app'],
      ['uppercase in a nested component', 'team/App'],
      ['a .. component', 'team/../app'],
      ['a percent-encoded .. component', 'team/%2e%2e/app'],
      ['only %2e%2e', '%2e%2e'],
      ['only ..', '..'],
      ['an empty component (//)', 'team//app'],
      ['a trailing /', 'team/app/'],
      ['a leading separator', '-team/app'],
      ['an encoded slash inside a component', 'team%2Fapp%2F'],
      ['256 characters', longName],
    ];
    const endpoints: [string, string, (name: string) => string][] = [
      ['GET', 'tags/list', (name) => `/v2/${name}/tags/list`],
      ['POST', 'upload start', (name) => `/v2/${name}/blobs/uploads/`],
      ['PUT', 'manifest', (name) => `/v2/${name}/manifests/latest`],
      ['GET', 'manifest', (name) => `/v2/${name}/manifests/latest`],
      ['DELETE', 'blob', (name) => `/v2/${name}/blobs/${A_DIGEST}`],
      ['GET', 'referrers', (name) => `/v2/${name}/referrers/${A_DIGEST}`],
    ];

    it.each(names)('a name with %s is 400 NAME_INVALID on every endpoint and creates no repository', async (_label, name) => {
      await unchanged(async () => {
        for (const [method, , path] of endpoints) {
          const response = await registry.raw(path(name), { method, ...(method === 'PUT' ? { body: '{}', headers: { 'Content-Type': OCI_MANIFEST } } : {}) });
          expectError(response, 400, 'NAME_INVALID');
        }
      });
      expect(await app.query('SELECT name FROM repository WHERE lower(name) LIKE $1', ['%team%'])).toEqual([]);
    });

    it('a name of exactly 255 characters is accepted', async () => {
      const name = `${'b'.repeat(127)}/${'c'.repeat(127)}`;
      expect(name).toHaveLength(255);
      expect((await registry.request(`/v2/${name}/blobs/uploads/`, { method: 'POST' })).status).toBe(202);
    });
  });

  describe('digests in paths (row 20)', () => {
    function storedFiles(): string[] {
      return readdirSync(app.config.storageDir, { recursive: true }).map(String).sort();
    }

    // A raw `/` splits the digest so no endpoint matches: 404, with UNSUPPORTED as the code
    // (the spec has none for "no such endpoint"). Encoded, it reaches the digest parser: 400.
    it.each([
      ['GET', 'blobs/sha256:../../x', 404, 'UNSUPPORTED'],
      ['HEAD', 'blobs/sha256:../../x', 404, undefined],
      ['DELETE', 'blobs/sha256:../../x', 404, 'UNSUPPORTED'],
      ['GET', 'blobs/sha256%3A..%2F..%2Fx', 400, 'DIGEST_INVALID'],
      ['DELETE', 'blobs/sha256%3A..%2F..%2Fx', 400, 'DIGEST_INVALID'],
      ['GET', 'manifests/sha256:..%2F..%2Fx', 404, 'MANIFEST_UNKNOWN'],
      ['PUT', 'manifests/sha256:..%2F..%2Fx', 400, 'DIGEST_INVALID'],
      ['DELETE', 'manifests/sha256:..%2F..%2Fx', 400, 'DIGEST_INVALID'],
      ['PUT', 'manifests/sha256:../../x', 404, 'UNSUPPORTED'],
      ['GET', 'referrers/sha256:..%2F..%2Fx', 400, 'DIGEST_INVALID'],
    ])('%s .../%s is %i %s; no storage object is touched', async (method, suffix, status, code) => {
      const name = uniqueRepo('traversal');
      await registry.pushImage(name, 'latest');
      const files = storedFiles();
      const response = await unchanged(() => registry.raw(`/v2/${name}/${suffix}`, { method, ...(method === 'PUT' ? { body: '{}', headers: { 'Content-Type': OCI_MANIFEST } } : {}) }));
      expect(response.status).toBe(status);
      if (code) expect(codesOf(response)).toEqual([code]);
      expect(storedFiles()).toEqual(files);
    });
  });

  describe('unknown repository (row 22)', () => {
    it('GET/HEAD of a manifest, blob or tag list of a repository that does not exist are 404 and create nothing', async () => {
      const name = uniqueRepo('ghost');
      await unchanged(async () => {
        expectError(await registry.request(`/v2/${name}/manifests/latest`, { method: 'GET' }), 404, 'MANIFEST_UNKNOWN');
        expectError(await registry.request(`/v2/${name}/manifests/${A_DIGEST}`, { method: 'GET' }), 404, 'MANIFEST_UNKNOWN');
        expect((await registry.request(`/v2/${name}/manifests/latest`, { method: 'HEAD' })).status).toBe(404);
        expectError(await registry.request(`/v2/${name}/blobs/${A_DIGEST}`, { method: 'GET' }), 404, 'BLOB_UNKNOWN');
        expectError(await registry.request(`/v2/${name}/tags/list`, { method: 'GET' }), 404, 'NAME_UNKNOWN');
        expectError(await registry.request(`/v2/${name}/manifests/latest`, { method: 'DELETE' }), 404, 'MANIFEST_UNKNOWN');
        expectError(await registry.request(`/v2/${name}/blobs/${A_DIGEST}`, { method: 'DELETE' }), 404, 'BLOB_UNKNOWN');
      });
    });
  });

  describe('pagination parameters (row 23)', () => {
    const TAGS = ['a', 'b', 'c'];
    let name: string;

    beforeAll(async () => {
      name = uniqueRepo('pages');
      const { digest } = await registry.pushImage(name, TAGS[0]!);
      const manifest = (await registry.request(`/v2/${name}/manifests/${digest}`, { method: 'GET' })).body;
      for (const tag of TAGS.slice(1)) expect((await registry.putManifest(name, tag, manifest)).status).toBe(201);
    });

    /** Repositories holding a manifest, straight from the database, in byte order. */
    async function repositoriesWithManifests(): Promise<string[]> {
      const rows = await app.query<{ name: string }>('SELECT DISTINCT r.name FROM manifest m JOIN repository r ON r.id = m.repository_id');
      return rows.map((r) => r.name).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    }

    const lists: [string, () => string][] = [
      ['tags/list', () => `/v2/${name}/tags/list`],
      ['_catalog', () => '/v2/_catalog'],
    ];

    describe.each(lists)('%s', (_label, path) => {
      it.each(['-1', 'abc', '1.5', '1e3', '0x10', '99999999999999999999'])('n=%s is 400 PAGINATION_NUMBER_INVALID', async (n) => {
        expectError(await registry.request(`${path()}?n=${n}`, { method: 'GET' }), 400, 'PAGINATION_NUMBER_INVALID');
      });

      it('n=0 is an empty list without Link', async () => {
        const response = await registry.request(`${path()}?n=0`, { method: 'GET' });
        expect(response.status).toBe(200);
        expect(Object.values(response.json<Record<string, unknown>>())).toContainEqual([]);
        expect(response.header('link')).toBeUndefined();
      });

      it('a huge n (10^9) is clamped: the whole list, no Link', async () => {
        const response = await registry.request(`${path()}?n=1000000000`, { method: 'GET' });
        expect(response.status).toBe(200);
        expect(response.header('link')).toBeUndefined();
        const body = response.json<{ tags?: string[]; repositories?: string[] }>();
        if (body.tags) expect(body.tags).toEqual(TAGS);
        else expect(body.repositories).toEqual(await repositoriesWithManifests());
      });

      it.each([
        ['a NUL byte', '%00'],
        ['a NUL inside', 'a%00b'],
        ['invalid UTF-8', '%FF%FE'],
        ['a long junk value', 'z'.repeat(3_000)],
      ])('last with %s is a normal (possibly empty) page, never a 5xx', async (_label, last) => {
        const response = await registry.request(`${path()}?last=${last}`, { method: 'GET' });
        expect(response.status).toBe(200);
      });
    });

    it('last=a<NUL>b on tags/list returns the tags after "a" (the NUL cannot be stored, the order is kept)', async () => {
      const response = await registry.request(`/v2/${name}/tags/list?last=a%00b`, { method: 'GET' });
      expect(response.json()).toEqual({ name, tags: ['b', 'c'] });
    });
  });

  describe('cross-repository mount (row 24)', () => {
    it.each([
      ['a malformed digest and from=../x', () => 'sha256:xyz', () => '../x'],
      ['a malformed digest and a real source', () => 'sha256:xyz', (source: string) => source],
      ['a good digest and from=../x', (digest: string) => digest, () => '../x'],
      ['a good digest and an uppercase source', (digest: string) => digest, (source: string) => source.toUpperCase()],
      ['a good digest and an empty from', (digest: string) => digest, () => ''],
      ['a digest the source does not hold', () => sha256('never pushed'), (source: string) => source],
      ['md5 and a real source', () => 'md5:d41d8cd98f00b204e9800998ecf8427e', (source: string) => source],
    ])('mount with %s falls back to 202 and a new, empty session; nothing is linked', async (_label, mount, from) => {
      const source = uniqueRepo('source');
      const target = uniqueRepo('target');
      const digest = await registry.pushBlob(source, randomBytes(100));
      const before = await app.state();
      const query = new URLSearchParams({ mount: mount(digest), from: from(source) });
      const response = await registry.request(`/v2/${target}/blobs/uploads/?${query.toString()}`, { method: 'POST' });
      expect(response.status).toBe(202);
      expect(response.header('range')).toBe('0-0');
      const location = response.header('location')!;
      expect(location).toMatch(new RegExp(`^/v2/${target}/blobs/uploads/[0-9a-f-]{36}$`));
      const after = await app.state();
      expect({ ...after, uploads: [], repositories: [] }).toEqual({ ...before, uploads: [], repositories: [] });
      expect([...after.uploads].sort()).toEqual([...before.uploads, `${target} ${location.split('/').pop()} 0`].sort());
      expect((await registry.request(`/v2/${target}/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
      expect(await uploadRange(location)).toBe('0-0');
    });
  });

  describe('methods an endpoint does not have', () => {
    // `{name}` is a repository holding an image.
    it.each([
      ['POST', '/v2/'],
      ['DELETE', '/v2/_catalog'],
      ['PUT', '/v2/{name}/tags/list'],
      ['POST', '/v2/{name}/manifests/latest'],
      ['PATCH', '/v2/{name}/manifests/latest'],
      ['OPTIONS', '/v2/{name}/manifests/latest'],
      ['TRACE', '/v2/{name}/manifests/latest'],
      ['PUT', `/v2/{name}/blobs/${A_DIGEST}`],
      ['POST', `/v2/{name}/blobs/${A_DIGEST}`],
      ['GET', '/v2/{name}/blobs/uploads/'],
      ['DELETE', '/v2/{name}/blobs/uploads/'],
      ['POST', `/v2/{name}/referrers/${A_DIGEST}`],
      ['DELETE', `/v2/{name}/referrers/${A_DIGEST}`],
      ['PROPFIND', '/v2/{name}/manifests/latest'],
      ['MKCOL', '/v2/{name}/blobs/uploads/'],
      ['PURGE', `/v2/{name}/blobs/${A_DIGEST}`],
      ['SEARCH', '/v2/_catalog'],
    ])('%s %s is 405 UNSUPPORTED and changes nothing', async (method, template) => {
      const name = uniqueRepo('method');
      await registry.pushImage(name, 'latest');
      const response = await unchanged(() => registry.raw(template.replace('{name}', name), { method }));
      expectError(response, 405, 'UNSUPPORTED');
      expect(response.header('docker-distribution-api-version')).toBe('registry/2.0');
    });

    it('POST on an upload session is 405 UNSUPPORTED and keeps the session', async () => {
      const name = uniqueRepo('post-upload');
      const location = await sessionWith(name, 'abc');
      expectError(await unchanged(() => send(registry.url(location), { method: 'POST', body: 'def' })), 405, 'UNSUPPORTED');
      expect(await uploadRange(location)).toBe('0-2');
    });
  });

  describe('never a 5xx', () => {
    it.each([
      ['a junk Content-Range on PATCH: 416', 'PATCH', 'session', { 'Content-Range': 'junk' }, 416, 'RANGE_INVALID'],
      ['a Content-Range beyond 2^53 on PATCH: 416', 'PATCH', 'session', { 'Content-Range': '99999999999999999999-99999999999999999999' }, 416, 'RANGE_INVALID'],
      ['a junk Range on blob GET: ignored, 200', 'GET', 'blob', { Range: 'bytes=abc' }, 200, undefined],
      ['several ranges on blob GET: ignored, 200', 'GET', 'blob', { Range: 'bytes=0-1,3-4' }, 200, undefined],
      ['an unknown manifest Content-Type: 400', 'PUT', 'manifest', { 'Content-Type': 'text/plain' }, 400, 'MANIFEST_INVALID'],
      ['a NUL in the referrers artifactType filter: 200', 'GET', 'referrers?artifactType=%00', {}, 200, undefined],
    ] as [string, string, string, Record<string, string>, number, string | undefined][])('%s', async (_label, method, target, headers, status, code) => {
      const name = uniqueRepo('no5xx');
      const { digest: manifestDigest } = await registry.pushImage(name, 'latest', ['layer-bytes']);
      const location = await sessionWith(name, 'abc');
      const paths: Record<string, string> = {
        session: location,
        blob: `/v2/${name}/blobs/${sha256('layer-bytes')}`,
        manifest: `/v2/${name}/manifests/other`,
        'referrers?artifactType=%00': `/v2/${name}/referrers/${manifestDigest}?artifactType=%00`,
      };
      const response = await unchanged(() => registry.raw(paths[target]!, { method, headers, ...(method === 'GET' ? {} : { body: '{"schemaVersion":2}' }) }));
      expect(response.status).toBe(status);
      if (code) expect(codesOf(response)).toEqual([code]);
      expect(await uploadRange(location)).toBe('0-2');
    });
  });
});

describe('undecodable request paths', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(async () => app.close());

  it.each(['/v2/a%zz/tags/list', '/v2/bad%/manifests/latest', '/v2/x/blobs/sha256%g0'])('answers %s with an OCI 400 NAME_INVALID', async (path) => {
    const response = await sendPath(app.url, path, { method: 'GET' });
    expect(response.status).toBe(400);
    expect(response.header('docker-distribution-api-version')).toBe('registry/2.0');
    expect(codesOf(response)).toEqual(['NAME_INVALID']);
  });
});
