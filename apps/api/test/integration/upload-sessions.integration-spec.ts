import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';

import { listenerName, MANIFEST_CHANGES_CHANNEL } from '@wharf/db';
import type { BlobStorage } from '@wharf/storage';

import { ManifestCache } from '../../src/database/manifest-cache';
import { BLOB_STORAGE } from '../../src/storage/storage.module';
import { codesOf, expectError, openRequest, RegistryClient, send, sha256 } from './support/registry-client';
import { startTestApp, type StorageKind, type TestApp } from './support/test-app';

/** Sends the start of a PATCH body, then drops the connection (a client that went away). */
function patchThenDrop(url: string, headers: Record<string, string>, bytes: Buffer): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = httpRequest(url, { method: 'PATCH', headers });
    req.on('error', () => resolve());
    req.write(bytes, () => setTimeout(() => { req.destroy(); resolve(); }, 300));
  });
}

describe.each<StorageKind>(['filesystem', 's3'])('upload sessions (%s storage)', (storage) => {
  let app: TestApp;
  let registry: RegistryClient;

  beforeAll(async () => {
    app = await startTestApp({ storage });
    registry = new RegistryClient(app.url);
  });
  afterAll(async () => app.close());

  it('accepts chunks in order, refuses an out-of-order chunk with 416 and keeps the session', async () => {
    const data = randomBytes(30_000);
    const location = await registry.startUpload('chunks/app');
    const first = await send(registry.url(location), { method: 'PATCH', body: data.subarray(0, 10_000), headers: { 'Content-Range': '0-9999', 'Content-Length': '10000' } });
    expect(first.status).toBe(202);
    expect(first.header('range')).toBe('0-9999');

    const gap = await send(registry.url(location), { method: 'PATCH', body: data.subarray(20_000), headers: { 'Content-Range': '20000-29999', 'Content-Length': '10000' } });
    expect(gap.status).toBe(416);
    const resend = await send(registry.url(location), { method: 'PATCH', body: data.subarray(0, 10_000), headers: { 'Content-Range': '0-9999', 'Content-Length': '10000' } });
    expect(resend.status).toBe(416);

    // The stale Location of the POST still works, and reports what is stored.
    const status = await send(registry.url(location), { method: 'GET' });
    expect(status.status).toBe(204);
    expect(status.header('range')).toBe('0-9999');

    const second = await send(registry.url(first.header('location')!), { method: 'PATCH', body: data.subarray(10_000, 20_000), headers: { 'Content-Range': '10000-19999' } });
    expect(second.status).toBe(202);
    const close = new URL(registry.url(location));
    close.searchParams.set('digest', sha256(data));
    const done = await send(close.toString(), { method: 'PUT', body: data.subarray(20_000), headers: { 'Content-Range': '20000-29999', 'Content-Length': '10000' } });
    expect(done.status).toBe(201);
    expect(done.header('docker-content-digest')).toBe(sha256(data));
    const blob = await registry.request(`/v2/chunks/app/blobs/${sha256(data)}`, { method: 'GET' });
    expect(blob.body.equals(data)).toBe(true);
  });

  // A proxy that streams bodies (nginx, proxy_request_buffering off) closes the client's
  // connection after an answer that came before the body's end, although the answer said
  // keep-alive: the client's next request there fails. So the answer waits for the body.
  it('answers a refused chunk once its body has arrived, and keeps the connection for the next request', async () => {
    const location = new URL(registry.url(await registry.startUpload('chunks/early')));
    const size = 1024 * 1024;
    const socket = connect(Number(location.port), location.hostname);
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        const check = () => (done() ? resolve() : setTimeout(check, 20));
        check();
      });
    const path = location.pathname + location.search;
    try {
      socket.write(`PATCH ${path} HTTP/1.1\r\nHost: ${location.host}\r\nAuthorization: ${await app.authorization('PATCH', path)}\r\nContent-Type: application/octet-stream\r\nContent-Range: 5-${size + 4}\r\nContent-Length: ${size}\r\n\r\n`);
      socket.write(Buffer.alloc(size / 2));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toBe('');
      socket.write(Buffer.alloc(size / 2));
      await until(() => received.includes('\r\n\r\n') && received.trimEnd().endsWith('}'));
      expect(received).toMatch(/^HTTP\/1\.1 416 /);
      expect(received.toLowerCase()).not.toContain('connection: close');

      received = '';
      socket.write(`GET ${location.pathname} HTTP/1.1\r\nHost: ${location.host}\r\nAuthorization: ${await app.authorization('GET', location.pathname)}\r\n\r\n`);
      await until(() => received.includes('\r\n\r\n'));
      expect(received).toMatch(/^HTTP\/1\.1 204 /);
    } finally {
      socket.destroy();
    }
  });

  it('mounts from the repository itself: 201 when it links the blob, an upload (202) when it does not', async () => {
    const digest = await registry.pushBlob('mount/self', 'bytes linked here');
    const linked = await registry.request(`/v2/mount/self/blobs/uploads/?mount=${digest}&from=mount/self`, { method: 'POST' });
    expect([linked.status, linked.header('docker-content-digest'), linked.header('location')]).toEqual([201, digest, `/v2/mount/self/blobs/${digest}`]);
    const missing = await registry.request(`/v2/mount/self/blobs/uploads/?mount=${sha256('not here')}&from=mount/self`, { method: 'POST' });
    expect(missing.status).toBe(202);
    expect(missing.header('location')).toMatch(/^\/v2\/mount\/self\/blobs\/uploads\//);
  });

  describe('one writer at a time', () => {
    const uploadIdOf = (location: string) => new URL(location, 'http://x').pathname.split('/').pop()!;
    /** Waits until a request holds the session: its claim is what the next request meets. */
    const claimed = async (location: string) => {
      for (let tries = 0; tries < 200; tries++) {
        const [row] = await app.query<{ writer: string | null }>('SELECT writer FROM upload WHERE id = $1', [uploadIdOf(location)]);
        if (row?.writer) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error('no request claimed the upload');
    };
    const chunk = (body: Buffer, start = 0) => ({ 'Content-Range': `${start}-${start + body.length - 1}`, 'Content-Length': String(body.length) });
    /** A PATCH of `body` that has sent its first `sent` bytes and holds the session; the test sends the rest, or not. */
    const holdingChunk = async (location: string, body: Buffer, sent: number) => {
      const request = openRequest(registry.url(location), { method: 'PATCH', headers: { Authorization: await app.authorization('PATCH', new URL(registry.url(location)).pathname), ...chunk(body) } });
      await request.write(body.subarray(0, sent));
      await claimed(location);
      return request;
    };
    const commitUrl = (location: string, digest: string) => {
      const url = new URL(registry.url(location));
      url.searchParams.set('digest', digest);
      return url.toString();
    };

    // Two chunks for one offset at once used to both reach storage: the second written
    // overwrote the first's bytes after the first had recorded its digest, so the commit of
    // that digest linked other bytes under it, for every repository that later pushed it.
    it('refuses a chunk, and a commit, while another chunk is being written (416), and commits only the bytes of the digest', async () => {
      const first = randomBytes(64 * 1024);
      const second = randomBytes(64 * 1024);
      const location = await registry.startUpload('claims/race');
      const slow = await holdingChunk(location, first, 1);

      const racing = await send(registry.url(location), { method: 'PATCH', body: second, headers: chunk(second) });
      expect(racing.status).toBe(416);
      expect(codesOf(racing)).toEqual(['RANGE_INVALID']);
      const early = await send(commitUrl(location, sha256(second)), { method: 'PUT' });
      expect(early.status).toBe(416);

      await slow.write(first.subarray(1));
      slow.end();
      const written = await slow.response;
      expect(written.status).toBe(202);
      expect(written.header('range')).toBe(`0-${first.length - 1}`);
      expectError(await send(commitUrl(location, sha256(second)), { method: 'PUT' }), 400, 'DIGEST_INVALID');
      expect((await registry.request(`/v2/claims/race/blobs/${sha256(second)}`, { method: 'HEAD' })).status).toBe(404);
    });

    it('commits what the claiming chunk wrote once it is done, and a chunk after it goes on from there', async () => {
      const first = randomBytes(32 * 1024);
      const second = randomBytes(32 * 1024);
      const location = await registry.startUpload('claims/after');
      const slow = await holdingChunk(location, first, 100);
      expect((await send(registry.url(location), { method: 'PATCH', body: first, headers: chunk(first) })).status).toBe(416);
      await slow.write(first.subarray(100));
      slow.end();
      expect((await slow.response).status).toBe(202);

      const whole = Buffer.concat([first, second]);
      const done = await send(commitUrl(location, sha256(whole)), { method: 'PUT', body: second, headers: chunk(second, first.length) });
      expect(done.status).toBe(201);
      expect((await registry.request(`/v2/claims/after/blobs/${sha256(whole)}`, { method: 'GET' })).body.equals(whole)).toBe(true);
    });

    it('frees the session as soon as the client writing to it goes away, for the retry', async () => {
      const data = randomBytes(32 * 1024);
      const location = await registry.startUpload('claims/dropped');
      const dropped = await holdingChunk(location, data, 1000);
      dropped.abort();
      let retry = await send(registry.url(location), { method: 'PATCH', body: data, headers: chunk(data) });
      for (let tries = 0; retry.status === 416 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        retry = await send(registry.url(location), { method: 'PATCH', body: data, headers: chunk(data) });
      }
      expect(retry.status).toBe(202);
      expect(retry.header('range')).toBe(`0-${data.length - 1}`);
    });

    it('lets a claim left by a writer that died lapse: the session is refused until then, and taken after', async () => {
      const data = randomBytes(1024);
      const location = await registry.startUpload('claims/lapsed');
      const id = uploadIdOf(location);
      // What a process that crashed mid-chunk leaves behind.
      await app.query(`UPDATE upload SET writer = gen_random_uuid(), writer_until = now() + interval '1 minute' WHERE id = $1`, [id]);
      expect((await send(registry.url(location), { method: 'PATCH', body: data, headers: chunk(data) })).status).toBe(416);
      expect((await send(registry.url(location), { method: 'GET' })).header('range')).toBe('0-0');
      await app.query(`UPDATE upload SET writer_until = now() - interval '1 second' WHERE id = $1`, [id]);
      const taken = await send(commitUrl(location, sha256(data)), { method: 'PUT', body: data, headers: chunk(data) });
      expect(taken.status).toBe(201);
    });

    it('frees a session at once when the process that claimed it is gone (its database session ended), not before', async () => {
      const data = randomBytes(1024);
      const location = await registry.startUpload('claims/dead');
      const id = uploadIdOf(location);
      // A claim naming a live database session (here: the oldest one) holds.
      await app.query(
        `UPDATE upload SET writer = gen_random_uuid(), writer_until = now() + interval '1 minute', writer_pid = (SELECT min(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()) WHERE id = $1`,
        [id],
      );
      expect((await send(registry.url(location), { method: 'PATCH', body: data, headers: chunk(data) })).status).toBe(416);
      // One naming a session that has ended does not, though it has not lapsed.
      await app.query(`UPDATE upload SET writer_pid = (SELECT max(pid) + 1000 FROM pg_stat_activity) WHERE id = $1`, [id]);
      expect((await send(registry.url(location), { method: 'PATCH', body: data, headers: chunk(data) })).status).toBe(202);
    });

    it("names its process's database session (the notice listener's) while it writes", async () => {
      const data = randomBytes(1024);
      const location = await registry.startUpload('claims/named');
      const slow = await holdingChunk(location, data, 1);
      const [row] = await app.query<{ writer_pid: number; application_name: string }>(
        'SELECT u.writer_pid, a.application_name FROM upload u JOIN pg_stat_activity a ON a.pid = u.writer_pid WHERE u.id = $1',
        [uploadIdOf(location)],
      );
      expect(row).toEqual({ writer_pid: app.app.get(ManifestCache).sessionPid, application_name: listenerName(MANIFEST_CHANGES_CHANNEL) });
      await slow.write(data.subarray(1));
      slow.end();
      expect((await slow.response).status).toBe(202);
    });

    it("answers another principal's session as unknown (404), whether or not it is being written to", async () => {
      const location = await registry.startUpload('claims/owner');
      await app.query(`UPDATE upload SET owner = 'user:someone-else' WHERE id = $1`, [uploadIdOf(location)]);
      expectError(await send(registry.url(location), { method: 'PATCH', body: 'x', headers: chunk(Buffer.from('x')) }), 404, 'BLOB_UPLOAD_UNKNOWN');
      await app.query(`UPDATE upload SET writer = gen_random_uuid(), writer_until = now() + interval '1 minute' WHERE id = $1`, [uploadIdOf(location)]);
      expectError(await send(registry.url(location), { method: 'PATCH', body: 'x', headers: chunk(Buffer.from('x')) }), 404, 'BLOB_UPLOAD_UNKNOWN');
    });
  });

  it('asks clients that chunk for chunks the store takes as they are: OCI-Chunk-Min-Length is S3\'s smallest part, and absent on a folder', async () => {
    const started = await registry.request('/v2/chunks/sized/blobs/uploads/', { method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.header('oci-chunk-min-length')).toBe(storage === 's3' ? '5242880' : undefined);
  });

  if (storage === 's3') {
    it('refuses a chunk that would take the upload past S3\'s parts with 413 BLOB_UPLOAD_INVALID, and keeps the upload as it was', async () => {
      // S3 takes 10,000 parts; a test cannot send that many, so this store is told it takes one.
      const store = app.app.get<BlobStorage>(BLOB_STORAGE) as unknown as { options: object };
      const options = store.options;
      store.options = { ...options, partLimits: { maxParts: 1, partsPerSize: 1_000 } };
      try {
        const data = randomBytes(13 * 1024 * 1024);
        const location = await registry.startUpload('chunks/parts');
        // Two parts: 8 MiB (WHARF_S3_PART_SIZE) and 5.
        const refused = await send(registry.url(location), { method: 'PATCH', body: data, headers: { 'Content-Range': `0-${data.length - 1}`, 'Content-Length': String(data.length) } });
        expect(refused.status).toBe(413);
        expect(codesOf(refused)).toEqual(['BLOB_UPLOAD_INVALID']);
        expect((await send(registry.url(location), { method: 'GET' })).header('range')).toBe('0-0');
      } finally {
        store.options = options;
      }
    });
  }

  it('refuses a chunk whose Content-Length disagrees with its Content-Range (400 SIZE_INVALID)', async () => {
    const location = await registry.startUpload('chunks/size');
    const response = await send(registry.url(location), { method: 'PATCH', body: 'abcd', headers: { 'Content-Range': '0-9', 'Content-Length': '4' } });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['SIZE_INVALID']);
    expect((await send(registry.url(location), { method: 'GET' })).header('range')).toBe('0-0');
  });

  it('verifies the digest at commit: a mismatch is 400 DIGEST_INVALID and nothing becomes visible', async () => {
    const location = await registry.startUpload('digest/check');
    const wrong = sha256('something else');
    const target = new URL(registry.url(location));
    target.searchParams.set('digest', wrong);
    const response = await send(target.toString(), { method: 'PUT', body: 'actual bytes' });
    expect(response.status).toBe(400);
    expect(codesOf(response)).toEqual(['DIGEST_INVALID']);
    expect((await registry.request(`/v2/digest/check/blobs/${wrong}`, { method: 'HEAD' })).status).toBe(404);
    expect((await registry.request(`/v2/digest/check/blobs/${sha256('actual bytes')}`, { method: 'HEAD' })).status).toBe(404);
    expect(await app.query('SELECT digest FROM blob WHERE digest = ANY($1)', [[wrong, sha256('actual bytes')]])).toEqual([]);
    expect((await send(registry.url(location), { method: 'GET' })).status).toBe(404);
  });

  it('keeps what arrived before a client disconnected; the upload resumes from there', async () => {
    const data = randomBytes(2 * 1024 * 1024);
    const location = await registry.startUpload('disconnect/app');
    const authorization = await app.authorization('PATCH', location);
    // Stream the first half with no Content-Length, then drop the connection.
    await patchThenDrop(registry.url(location), { Authorization: authorization, 'Transfer-Encoding': 'chunked' }, data.subarray(0, 1024 * 1024));
    let stored = -1;
    for (let i = 0; i < 50 && stored < 0; i++) {
      const status = await send(registry.url(location), { method: 'GET' });
      const range = status.header('range')!;
      const end = Number(range.split('-')[1]);
      if (end > 0) stored = end + 1;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThanOrEqual(1024 * 1024);
    expect((await registry.request(`/v2/disconnect/app/blobs/${sha256(data)}`, { method: 'HEAD' })).status).toBe(404);

    const target = new URL(registry.url(location));
    target.searchParams.set('digest', sha256(data));
    const done = await send(target.toString(), { method: 'PUT', body: data.subarray(stored), headers: { 'Content-Range': `${stored}-${data.length - 1}` } });
    expect(done.status).toBe(201);
    const blob = await registry.request(`/v2/disconnect/app/blobs/${sha256(data)}`, { method: 'GET' });
    expect(blob.body.equals(data)).toBe(true);
  });

  it('lets another API process continue an upload and re-hashes what is stored', async () => {
    const other = await startTestApp({ databaseUrl: app.databaseUrl, storageDir: app.config.storageDir, env: app.storageEnv });
    try {
      const data = randomBytes(100_000);
      const location = await registry.startUpload('scale/app');
      const first = await send(registry.url(location), { method: 'PATCH', body: data.subarray(0, 60_000) });
      expect(first.status).toBe(202);
      const second = await send(new URL(location, other.url).toString(), { method: 'PATCH', body: data.subarray(60_000) });
      expect(second.status).toBe(202);
      expect(second.header('range')).toBe(`0-${data.length - 1}`);
      const target = new URL(location, app.url);
      target.searchParams.set('digest', sha256(data));
      expect((await send(target.toString(), { method: 'PUT' })).status).toBe(201);
      expect((await send(`${other.url}/v2/scale/app/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('lets another API process commit an upload without reading it back: the digest of what was stored is kept with it', async () => {
    const other = await startTestApp({ databaseUrl: app.databaseUrl, storageDir: app.config.storageDir, env: app.storageEnv });
    const reads = jest.spyOn(other.app.get<BlobStorage>(BLOB_STORAGE), 'read');
    try {
      const data = randomBytes(3_000_000);
      const location = await registry.startUpload('scale/commit');
      expect((await send(registry.url(location), { method: 'PATCH', body: data })).status).toBe(202);
      const target = new URL(location, other.url);
      target.searchParams.set('digest', sha256(data));
      expect((await send(target.toString(), { method: 'PUT' })).status).toBe(201);
      expect(reads).not.toHaveBeenCalled();
      expect((await send(`${app.url}/v2/scale/commit/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);

      // The kept digest is checked like a computed one.
      const second = await registry.startUpload('scale/commit');
      expect((await send(registry.url(second), { method: 'PATCH', body: data.subarray(1) })).status).toBe(202);
      const claimed = new URL(second, other.url);
      claimed.searchParams.set('digest', sha256(data));
      const refused = await send(claimed.toString(), { method: 'PUT' });
      expect(refused.status).toBe(400);
      expect(codesOf(refused)).toEqual(['DIGEST_INVALID']);
      expect(reads).not.toHaveBeenCalled();
      expect((await send(registry.url(second), { method: 'GET' })).status).toBe(404);

      // A last chunk sent with the PUT: the digest kept for the bytes before it no longer covers them all.
      const more = randomBytes(2_000_000);
      const third = await registry.startUpload('scale/commit');
      expect((await send(registry.url(third), { method: 'PATCH', body: more.subarray(0, 1_500_000) })).status).toBe(202);
      const last = new URL(third, other.url);
      last.searchParams.set('digest', sha256(more));
      expect((await send(last.toString(), { method: 'PUT', body: more.subarray(1_500_000), headers: { 'Content-Range': `1500000-${more.length - 1}` } })).status).toBe(201);
      expect((await send(`${app.url}/v2/scale/commit/blobs/${sha256(more)}`, { method: 'GET' })).body.equals(more)).toBe(true);
    } finally {
      reads.mockRestore();
      await other.close();
    }
  });

  it('lets a process that takes over an upload hash what is stored (not a chunk cut off before) and commit it', async () => {
    const other = await startTestApp({ databaseUrl: app.databaseUrl, storageDir: app.config.storageDir, env: app.storageEnv });
    try {
      const data = randomBytes(300_000);
      const location = await registry.startUpload('scale/takeover');
      const first = await send(registry.url(location), { method: 'PATCH', body: data.subarray(0, 100_000), headers: { 'Content-Range': '0-99999', 'Content-Length': '100000' } });
      expect(first.status).toBe(202);
      // A chunk of declared length cut off midway: all or nothing, so none of it counts, though
      // a file store may have written some (more than its 1 MiB write batch).
      const authorization = await app.authorization('PATCH', location);
      await patchThenDrop(registry.url(location), { Authorization: authorization, 'Content-Range': '100000-3099999', 'Content-Length': '3000000' }, randomBytes(2_500_000));
      expect((await send(registry.url(location), { method: 'GET' })).header('range')).toBe('0-99999');
      for (const start of [100_000, 200_000]) {
        const chunk = await send(new URL(location, other.url).toString(), {
          method: 'PATCH',
          body: data.subarray(start, start + 100_000),
          headers: { 'Content-Range': `${start}-${start + 99_999}`, 'Content-Length': '100000' },
        });
        expect(chunk.status).toBe(202);
      }
      const target = new URL(location, other.url);
      target.searchParams.set('digest', sha256(data));
      expect((await send(target.toString(), { method: 'PUT' })).status).toBe(201);
      expect((await send(`${app.url}/v2/scale/takeover/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);
    } finally {
      await other.close();
    }
  });

  if (storage === 's3') {
    describe('chunks spread over processes carry the hash state of what was stored', () => {
      const MiB = 1024 * 1024;
      let other: TestApp;
      let reads: jest.SpyInstance[];
      beforeAll(async () => {
        other = await startTestApp({ databaseUrl: app.databaseUrl, storageDir: app.config.storageDir, env: app.storageEnv });
      });
      beforeEach(() => {
        reads = [app, other].map((each) => jest.spyOn(each.app.get<BlobStorage>(BLOB_STORAGE), 'read'));
      });
      afterEach(() => reads.forEach((spy) => spy.mockRestore()));
      afterAll(async () => other.close());

      /** Sends `data` from `from` in chunks of `size` with Content-Range, to the processes in turn. */
      const sendChunks = async (location: string, data: Buffer, size: number, from = 0, processes = [app, other]) => {
        for (let start = from, turn = 0; start < data.length; start += size, turn++) {
          const body = data.subarray(start, start + size);
          const response = await send(new URL(location, processes[turn % processes.length]!.url).toString(), {
            method: 'PATCH',
            body,
            headers: { 'Content-Range': `${start}-${start + body.length - 1}`, 'Content-Length': String(body.length) },
          });
          expect(response.status).toBe(202);
        }
      };
      /** Reads of the object the blob `digest` was stored in (not the store's own read-backs of staged tails). */
      const readsOf = async (digest: string) => {
        const [blob] = await app.query<{ storage_key: string }>('SELECT storage_key FROM blob WHERE digest = $1', [digest]);
        return reads.flatMap((spy) => spy.mock.calls).filter(([key]) => key === blob!.storage_key);
      };
      /** PUT ?digest= to `target`, with the bytes of `data` from `from` as a last chunk when given. */
      const commit = (target: TestApp, location: string, digest: string, data?: Buffer, from = 0) => {
        const url = new URL(location, target.url);
        url.searchParams.set('digest', digest);
        if (!data) return send(url.toString(), { method: 'PUT' });
        return send(url.toString(), { method: 'PUT', body: data.subarray(from), headers: { 'Content-Range': `${from}-${data.length - 1}` } });
      };

      it('commits without reading the upload back, in whichever process', async () => {
        const data = randomBytes(16 * MiB);
        const location = await registry.startUpload('spread/chunks');
        await sendChunks(location, data, 5 * MiB);
        // The first process's own hash stopped at 10 MiB: it commits from what the other saved.
        expect((await commit(app, location, sha256(data))).status).toBe(201);
        expect(await readsOf(sha256(data))).toEqual([]);
        expect((await send(`${other.url}/v2/spread/chunks/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);
      });

      it('goes on from the saved state for a last chunk sent with the PUT, and refuses a wrong digest', async () => {
        const data = randomBytes(11 * MiB);
        const location = await registry.startUpload('spread/last');
        await sendChunks(location, data.subarray(0, 10 * MiB), 5 * MiB);
        const wrong = await commit(other, location, sha256(data.subarray(1)), data, 10 * MiB);
        expect(wrong.status).toBe(400);
        expect(codesOf(wrong)).toEqual(['DIGEST_INVALID']);
        expect((await send(registry.url(location), { method: 'GET' })).status).toBe(404);

        const again = await registry.startUpload('spread/last');
        await sendChunks(again, data.subarray(0, 10 * MiB), 5 * MiB);
        const done = await commit(app, again, sha256(data), data, 10 * MiB);
        expect(done.status).toBe(201);
        expect(await readsOf(sha256(data))).toEqual([]);
        expect((await send(`${app.url}/v2/spread/last/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);
      });

      it('does not take a state left behind by a process that keeps none (an older version, in a rolling upgrade) for the upload\'s', async () => {
        const data = randomBytes(15 * MiB);
        const location = await registry.startUpload('spread/stale');
        const id = location.split('/').pop();
        await sendChunks(location, data.subarray(0, 5 * MiB), 5 * MiB);
        const [first] = await app.query<{ hash_state: Buffer }>('SELECT hash_state FROM upload WHERE id = $1', [id]);
        await sendChunks(location, data.subarray(0, 10 * MiB), 5 * MiB, 5 * MiB, [app]);
        // An older process would have moved the size on and left the first chunk's state.
        await app.query('UPDATE upload SET hash_state = $2 WHERE id = $1', [id, first!.hash_state]);
        expect((await commit(other, location, sha256(data), data, 10 * MiB)).status).toBe(201);
        expect(await readsOf(sha256(data))).toHaveLength(1);
        expect((await send(`${app.url}/v2/spread/stale/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);
      });

      it('re-reads the upload once at commit when the saved state cannot be loaded', async () => {
        const data = randomBytes(11 * MiB);
        const location = await registry.startUpload('spread/foreign');
        await sendChunks(location, data.subarray(0, 5 * MiB), 5 * MiB);
        // As a build of another hash-wasm version would find it: the state's own first byte,
        // behind the 8 bytes of the size it covers.
        await app.query('UPDATE upload SET hash_state = set_byte(hash_state, 8, get_byte(hash_state, 8) # 255) WHERE id = $1', [location.split('/').pop()]);
        // The next chunk goes to the process that holds no hash of the first.
        await sendChunks(location, data, 5 * MiB, 5 * MiB, [other]);
        expect((await commit(other, location, sha256(data))).status).toBe(201);
        expect(await readsOf(sha256(data))).toHaveLength(1);
        expect((await send(`${other.url}/v2/spread/foreign/blobs/${sha256(data)}`, { method: 'GET' })).body.equals(data)).toBe(true);
      });
    });
  }

  it('stores a blob pushed to two repositories once', async () => {
    const data = randomBytes(5_000);
    await registry.pushBlob('dedup/one', data);
    await registry.pushBlob('dedup/two', data);
    const rows = await app.query<{ storage_key: string }>('SELECT storage_key FROM blob WHERE digest = $1', [sha256(data)]);
    expect(rows).toHaveLength(1);
    const links = await app.query('SELECT 1 FROM repository_blob WHERE digest = $1', [sha256(data)]);
    expect(links).toHaveLength(2);
    // Only the kept object exists; the duplicate upload's object was removed.
    expect((await app.objectSizes()).filter((size) => size === 5_000)).toHaveLength(1);
  });

  it('names the session in Docker-Upload-UUID on every answer about it, and the blob it made by its ETag', async () => {
    const started = await registry.request('/v2/headers/app/blobs/uploads/', { method: 'POST' });
    const uuid = started.header('location')!.split('/').pop();
    expect(uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(started.header('docker-upload-uuid')).toBe(uuid);
    const location = registry.url(started.header('location')!);
    const patched = await send(location, { method: 'PATCH', body: 'header bytes', headers: { 'Content-Range': '0-11' } });
    expect([patched.status, patched.header('docker-upload-uuid')]).toEqual([202, uuid]);
    const status = await send(location, { method: 'GET' });
    expect([status.status, status.header('docker-upload-uuid'), status.header('range')]).toEqual([204, uuid, '0-11']);
    const close = new URL(location);
    close.searchParams.set('digest', sha256('header bytes'));
    expect((await send(close.toString(), { method: 'PUT' })).status).toBe(201);
    const blob = await registry.request(`/v2/headers/app/blobs/${sha256('header bytes')}`, { method: 'GET' });
    expect([blob.header('etag'), blob.header('accept-ranges'), blob.header('docker-content-digest')]).toEqual([`"${sha256('header bytes')}"`, 'bytes', sha256('header bytes')]);
    const unknown = await send(location, { method: 'GET' });
    expect([unknown.status, unknown.header('content-type')]).toEqual([404, 'application/json']);
  });

  it('cancels an upload: 204 with its Docker-Upload-UUID, then 404 BLOB_UPLOAD_UNKNOWN for every use of it', async () => {
    const location = await registry.startUpload('cancel/app');
    const cancelled = await send(registry.url(location), { method: 'DELETE' });
    expect([cancelled.status, cancelled.header('docker-upload-uuid')]).toEqual([204, location.split('/').pop()]);
    for (const method of ['GET', 'PATCH', 'PUT', 'DELETE']) {
      const response = await send(registry.url(location), { method, ...(method === 'PATCH' ? { body: 'x' } : {}) });
      expect(response.status).toBe(404);
      expect(codesOf(response)).toEqual(['BLOB_UPLOAD_UNKNOWN']);
    }
  });

  it('does not accept an upload id under another repository', async () => {
    const location = await registry.startUpload('tenant/one');
    const foreign = location.replace('/v2/tenant/one/', '/v2/tenant/two/');
    const response = await send(registry.url(foreign), { method: 'GET' });
    expect(response.status).toBe(404);
    expect(codesOf(response)).toEqual(['BLOB_UPLOAD_UNKNOWN']);
  });
});
