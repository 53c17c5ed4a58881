import { randomBytes } from 'node:crypto';

import { S3BlobStorage } from '@wharf/storage';

import { openRequest, RegistryClient, send, sha256 } from './support/registry-client';
import { startTestApp, type StorageKind, type TestApp } from './support/test-app';

const waitFor = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
  for (let waited = 0; waited < timeoutMs; waited += 200) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
};

describe.each<StorageKind>(['filesystem', 's3'])('abandoned uploads expire (%s storage)', (storage) => {
  let app: TestApp;
  let registry: RegistryClient;

  beforeAll(async () => {
    app = await startTestApp({ storage, env: { WHARF_UPLOAD_TTL: '2s', WHARF_UPLOAD_PURGE_INTERVAL: '1s' } });
    registry = new RegistryClient(app.url);
  });
  afterAll(async () => app.close());

  it('removes the session row and every stored byte (S3: the multipart upload is aborted), and keeps committed blobs', async () => {
    const abandoned = await registry.startUpload('expiry/app');
    // More than one S3 part, so that a multipart upload is open.
    expect((await send(registry.url(abandoned), { method: 'PATCH', body: randomBytes(6 * 1024 * 1024) })).status).toBe(202);
    const blob = randomBytes(1000);
    await registry.pushBlob('expiry/app', blob);
    // On S3 all of it went out as one part (no staging object is left); on a folder it is a file.
    if (app.config.s3) expect(await new S3BlobStorage(app.config.s3).listOpenMultipartUploads()).toHaveLength(1);
    else expect(await app.objectSizes()).toContain(6 * 1024 * 1024);

    await waitFor(async () => (await app.query('SELECT 1 FROM upload')).length === 0);
    expect((await send(registry.url(abandoned), { method: 'GET' })).status).toBe(404);
    // Only the committed blob is left. The purger forgets the session before it removes the
    // bytes (nothing may point at bytes being removed), so the bytes can go a moment later.
    await waitFor(async () => (await app.objectSizes()).length === 1).catch(() => undefined);
    expect(await app.objectSizes()).toEqual([1000]);
    if (app.config.s3) expect(await new S3BlobStorage(app.config.s3).listOpenMultipartUploads()).toEqual([]);
    expect((await registry.request(`/v2/expiry/app/blobs/${sha256(blob)}`, { method: 'HEAD' })).status).toBe(200);
  });

  it('does not purge a session that keeps receiving chunks', async () => {
    const location = await registry.startUpload('expiry/busy');
    const data = randomBytes(8_000);
    for (let i = 0; i < 4; i++) {
      const body = data.subarray(i * 2000, (i + 1) * 2000);
      const response = await send(registry.url(location), { method: 'PATCH', body, headers: { 'Content-Range': `${i * 2000}-${i * 2000 + 1999}` } });
      expect(response.status).toBe(202);
      await new Promise((r) => setTimeout(r, 1000));
    }
    const close = new URL(registry.url(location));
    close.searchParams.set('digest', sha256(data));
    expect((await send(close.toString(), { method: 'PUT' })).status).toBe(201);
  });

  it('does not purge a session while a request is writing to it, however long its body takes', async () => {
    const location = registry.url(await registry.startUpload('expiry/writing'));
    const data = randomBytes(4_000);
    const slow = openRequest(location, { method: 'PATCH', headers: { Authorization: await app.authorization('PATCH', new URL(location).pathname), 'Content-Length': String(data.length) } });
    await slow.write(data.subarray(0, 10));
    // Twice the time to live, with a purge every second.
    await new Promise((r) => setTimeout(r, 4_000));
    await slow.write(data.subarray(10));
    slow.end();
    expect((await slow.response).status).toBe(202);
    const close = new URL(location);
    close.searchParams.set('digest', sha256(data));
    expect((await send(close.toString(), { method: 'PUT' })).status).toBe(201);
  });
});
