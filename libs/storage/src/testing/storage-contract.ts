import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';

import type { BlobStorage, UploadHandle } from '../blob-storage';
import { AppendInterruptedError, InvalidKeyError, ObjectNotFoundError } from '../errors';

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

async function* chunksOf(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function* failingAfter(data: Buffer, error: Error): AsyncGenerator<Buffer> {
  yield data;
  throw error;
}

async function completed(storage: BlobStorage, data: Buffer, chunkSize = 64 * 1024): Promise<UploadHandle> {
  const upload = await storage.beginUpload();
  const { size, state } = await storage.append(upload, 0, chunksOf(data, chunkSize));
  const handle = { key: upload.key, state };
  await storage.completeUpload(handle, size);
  return handle;
}

/**
 * The behaviour every BlobStorage driver must show. Run it from each driver's spec with a
 * factory that gives a fresh, empty store.
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<BlobStorage>, cleanup?: (s: BlobStorage) => Promise<void>): void {
  describe(`BlobStorage contract: ${name}`, () => {
    let storage: BlobStorage;

    beforeEach(async () => {
      storage = await makeStorage();
    });
    afterEach(async () => {
      await cleanup?.(storage);
    });

    it('stores an upload in several appends and reads it back byte for byte', async () => {
      const data = randomBytes(300_000);
      const upload = await storage.beginUpload();
      let state = upload.state;
      let offset = 0;
      for (const part of [data.subarray(0, 100_000), data.subarray(100_000, 100_001), data.subarray(100_001)]) {
        const result = await storage.append({ key: upload.key, state }, offset, chunksOf(part, 7_000));
        expect(result.size).toBe(offset + part.length);
        offset = result.size;
        state = result.state;
      }
      await storage.completeUpload({ key: upload.key, state }, offset);
      expect(await storage.stat(upload.key)).toEqual({ size: data.length });
      const back = await readAll(await storage.read(upload.key));
      expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    });

    it('stores an empty upload', async () => {
      const upload = await storage.beginUpload();
      const { size, state } = await storage.append(upload, 0, chunksOf(Buffer.alloc(0), 1));
      expect(size).toBe(0);
      await storage.completeUpload({ key: upload.key, state }, 0);
      expect(await storage.stat(upload.key)).toEqual({ size: 0 });
      expect((await readAll(await storage.read(upload.key))).length).toBe(0);
    });

    it('reads inclusive ranges', async () => {
      const data = randomBytes(10_000);
      const { key } = await completed(storage, data);
      expect(await readAll(await storage.read(key, { start: 500, end: 1499 }))).toEqual(data.subarray(500, 1500));
      expect(await readAll(await storage.read(key, { start: 9_000 }))).toEqual(data.subarray(9_000));
      expect(await readAll(await storage.read(key, { start: 0, end: 0 }))).toEqual(data.subarray(0, 1));
    });

    it('gives back the bytes of an unfinished upload', async () => {
      const data = randomBytes(50_000);
      const upload = await storage.beginUpload();
      const { size, state } = await storage.append(upload, 0, chunksOf(data, 4096));
      expect(await readAll(await storage.readUpload({ key: upload.key, state }, size))).toEqual(data);
    });

    it('keeps what arrived before a body stream failed, and resumes there', async () => {
      const first = randomBytes(20_000);
      const rest = randomBytes(5_000);
      const upload = await storage.beginUpload();
      const failure = await storage.append(upload, 0, failingAfter(first, new Error('client went away'))).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppendInterruptedError);
      const interrupted = failure as AppendInterruptedError;
      expect(interrupted.size).toBeLessThanOrEqual(first.length);
      const kept = interrupted.size;
      const resumed = await storage.append({ key: upload.key, state: interrupted.state }, kept, chunksOf(Buffer.concat([first.subarray(kept), rest]), 3000));
      await storage.completeUpload({ key: upload.key, state: resumed.state }, resumed.size);
      expect(await readAll(await storage.read(upload.key))).toEqual(Buffer.concat([first, rest]));
    });

    it('overwrites unacknowledged bytes when an append restarts at an earlier offset', async () => {
      const upload = await storage.beginUpload();
      const a = await storage.append(upload, 0, chunksOf(Buffer.from('hello '), 3));
      // A second request retried at the same offset replaces what the first one wrote.
      await storage.append({ key: upload.key, state: a.state }, a.size, chunksOf(Buffer.from('XXXXXXXX'), 3));
      const b = await storage.append({ key: upload.key, state: a.state }, a.size, chunksOf(Buffer.from('world'), 2));
      await storage.completeUpload({ key: upload.key, state: b.state }, b.size);
      expect((await readAll(await storage.read(upload.key))).toString()).toBe('hello world');
    });

    it('reports missing objects as absent and as ObjectNotFoundError', async () => {
      expect(await storage.stat('blobs/00/does-not-exist')).toBeUndefined();
      await expect(storage.read('blobs/00/does-not-exist')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('deletes objects idempotently', async () => {
      const { key } = await completed(storage, Buffer.from('bye'));
      await storage.delete(key);
      await storage.delete(key);
      expect(await storage.stat(key)).toBeUndefined();
    });

    it('aborts unfinished uploads', async () => {
      const upload = await storage.beginUpload();
      await storage.append(upload, 0, chunksOf(Buffer.from('partial'), 3));
      await storage.abortUpload(upload);
      await storage.abortUpload(upload);
      expect(await storage.stat(upload.key)).toBeUndefined();
    });

    it('gives every upload its own key', async () => {
      const keys = new Set(await Promise.all(Array.from({ length: 20 }, async () => (await storage.beginUpload()).key)));
      expect(keys.size).toBe(20);
    });

    it('refuses keys that could escape its root', async () => {
      for (const key of ['../etc/passwd', 'blobs/../../x', '/abs', 'a//b', 'blobs/a b', '']) {
        await expect(storage.read(key)).rejects.toBeInstanceOf(InvalidKeyError);
      }
    });
  });
}
