import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

import type { BlobStorage, DriverState } from '../blob-storage';
import { AppendInterruptedError, InvalidKeyError, ObjectNotFoundError } from '../errors';
import { readEach } from '../pooled-body';
import { closed, getResponse, readSlowly, serveBodies } from './piped-responses';

const MiB = 1024 * 1024;

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

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export interface ContractOptions {
  /** A size that makes the driver split an upload (S3: its part size); bodies go past it. */
  readonly largeSize?: number;
  /** The driver can read an upload before it is completed (`readUpload`). */
  readonly readsUnfinishedUploads?: boolean;
}

/**
 * The behaviour every BlobStorage driver must show. Run it from each driver's spec with a
 * factory that gives a fresh, empty store.
 */
export function describeStorageContract(name: string, makeStorage: () => Promise<BlobStorage>, cleanup?: (s: BlobStorage) => Promise<void>, options: ContractOptions = {}): void {
  const large = options.largeSize ?? 300_000;

  describe(`BlobStorage contract: ${name}`, () => {
    let storage: BlobStorage;

    /**
     * Uploads `data` in appends of the given sizes and returns the readable key; `declared`
     * tells each append its length (as a Content-Length does), every other one for 'some'.
     */
    async function upload(data: Buffer, appendSizes: number[] = [data.length], chunk = 64 * 1024, declared: boolean | 'some' = false): Promise<string> {
      const started = await storage.beginUpload();
      let state: DriverState = started.state;
      let offset = 0;
      for (const [i, size] of appendSizes.entries()) {
        const length = declared === true || (declared === 'some' && i % 2 === 0) ? size : undefined;
        const result = await storage.append({ key: started.key, state }, offset, chunksOf(data.subarray(offset, offset + size), chunk), length);
        expect(result.size).toBe(offset + size);
        offset = result.size;
        state = result.state;
      }
      return storage.completeUpload({ key: started.key, state }, offset);
    }

    beforeEach(async () => {
      storage = await makeStorage();
    });
    afterEach(async () => {
      await cleanup?.(storage);
    });

    it('stores an upload made of several appends, some tiny, and reads it back byte for byte', async () => {
      const data = randomBytes(large * 2 + 12_345);
      const key = await upload(data, [100_000, 1, large, data.length - large - 100_001]);
      expect(await storage.stat(key)).toEqual({ size: data.length });
      expect(sha(await readAll(await storage.read(key)))).toBe(sha(data));
    });

    it('stores many small appends (each smaller than any part size)', async () => {
      const data = randomBytes(40_000);
      const key = await upload(data, Array.from({ length: 8 }, () => 5_000), 1_000);
      expect(await readAll(await storage.read(key))).toEqual(data);
    });

    it('stores a large upload sent in one append', async () => {
      const data = randomBytes(large * 3 + 7);
      const key = await upload(data);
      expect(sha(await readAll(await storage.read(key)))).toBe(sha(data));
    });

    it('stores appends of declared length, alone and mixed with undeclared ones, across split points', async () => {
      const data = randomBytes(large * 2 + 12_345);
      const sizes = [100_000, 1, large, data.length - large - 100_001];
      for (const declared of [true, 'some'] as const) {
        const key = await upload(data, sizes, 64 * 1024, declared);
        expect(await storage.stat(key)).toEqual({ size: data.length });
        expect(sha(await readAll(await storage.read(key)))).toBe(sha(data));
      }
      const whole = randomBytes(large * 3 + 7);
      expect(sha(await readAll(await storage.read(await upload(whole, [whole.length], 10_000, true))))).toBe(sha(whole));
      const small = randomBytes(40_000);
      expect(await readAll(await storage.read(await upload(small, Array.from({ length: 8 }, () => 5_000), 1_000, 'some')))).toEqual(small);
    });

    it('fails an append whose body is shorter or longer than its declared length, and a retry at the same offset replaces it', async () => {
      const started = await storage.beginUpload();
      const a = await storage.append(started, 0, chunksOf(Buffer.from('hello '), 3), 6);
      for (const [body, length] of [
        ['worl', 5],
        ['world!', 5],
        ['!', 0],
      ] as const) {
        const failure = await storage.append({ key: started.key, state: a.state }, a.size, chunksOf(Buffer.from(body), 2), length).catch((e: unknown) => e);
        expect(failure).toBeInstanceOf(AppendInterruptedError);
        expect((failure as AppendInterruptedError).cause).toEqual(expect.objectContaining({ message: expect.stringMatching(/body is (shorter|longer) than declared/) }));
      }
      const empty = await storage.append({ key: started.key, state: a.state }, a.size, chunksOf(Buffer.alloc(0), 1), 0);
      expect(empty.size).toBe(a.size);
      const b = await storage.append({ key: started.key, state: empty.state }, a.size, chunksOf(Buffer.from('world'), 2), 5);
      const key = await storage.completeUpload({ key: started.key, state: b.state }, b.size);
      expect((await readAll(await storage.read(key))).toString()).toBe('hello world');
    });

    it('keeps at most what arrived when a body of declared length fails, and resumes there', async () => {
      const first = randomBytes(large + 20_000);
      const rest = randomBytes(large);
      const started = await storage.beginUpload();
      const failure = await storage.append(started, 0, failingAfter(first, new Error('client went away')), first.length + rest.length).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppendInterruptedError);
      const interrupted = failure as AppendInterruptedError;
      expect(interrupted.size).toBeLessThanOrEqual(first.length);
      const kept = interrupted.size;
      const remaining = Buffer.concat([first.subarray(kept), rest]);
      const resumed = await storage.append({ key: started.key, state: interrupted.state }, kept, chunksOf(remaining, 7_000), remaining.length);
      const key = await storage.completeUpload({ key: started.key, state: resumed.state }, resumed.size);
      expect(sha(await readAll(await storage.read(key)))).toBe(sha(Buffer.concat([first, rest])));
    });

    it('stores an empty upload', async () => {
      const started = await storage.beginUpload();
      const { size, state } = await storage.append(started, 0, chunksOf(Buffer.alloc(0), 1));
      expect(size).toBe(0);
      const key = await storage.completeUpload({ key: started.key, state }, 0);
      expect(await storage.stat(key)).toEqual({ size: 0 });
      expect((await readAll(await storage.read(key))).length).toBe(0);
    });

    it('reads inclusive ranges', async () => {
      const data = randomBytes(10_000);
      const key = await upload(data);
      expect(await readAll(await storage.read(key, { start: 500, end: 1499 }))).toEqual(data.subarray(500, 1500));
      expect(await readAll(await storage.read(key, { start: 9_000 }))).toEqual(data.subarray(9_000));
      expect(await readAll(await storage.read(key, { start: 0, end: 0 }))).toEqual(data.subarray(0, 1));
    });

    it('pipes whole objects and ranges into HTTP responses, many at once, to slow readers', async () => {
      // Odd sizes, so that the last piece of each read is short.
      const objects = { a: randomBytes(9 * MiB + 17), b: randomBytes(7 * MiB + 3) };
      const keys = { a: await upload(objects.a, [objects.a.length], 256 * 1024, true), b: await upload(objects.b, [objects.b.length], 256 * 1024, true) };
      const server = await serveBodies(async (target) => {
        const name = target.pathname.slice(1) as keyof typeof objects;
        const start = target.searchParams.has('start') ? Number(target.searchParams.get('start')) : undefined;
        const end = target.searchParams.has('end') ? Number(target.searchParams.get('end')) : undefined;
        const length = (end ?? objects[name].length - 1) + 1 - (start ?? 0);
        return { body: await storage.read(keys[name], { start, end }), length };
      });
      try {
        // Responses in flight together: a driver that reuses read buffers must not reuse one
        // the socket still holds, or one object's bytes turn up in another's response.
        const wanted = [
          { target: 'a', bytes: objects.a },
          { target: 'b', bytes: objects.b },
          { target: 'a?start=1000001&end=2999999', bytes: objects.a.subarray(1000001, 3000000) },
          { target: 'b?start=1048575', bytes: objects.b.subarray(1048575) },
          { target: 'b?start=0&end=0', bytes: objects.b.subarray(0, 1) },
        ];
        const got = await Promise.all([...wanted, ...wanted].map(async ({ target }) => readSlowly(await getResponse(`${server.url}/${target}`))));
        got.forEach((bytes, i) => expect(sha(bytes)).toBe(sha(wanted[i % wanted.length].bytes)));
        await Promise.all(server.bodies.map(closed));
        expect(server.bodies.map((body) => body.readableEnded)).toEqual(server.bodies.map(() => true));
      } finally {
        await server.close();
      }
    });

    it('piped into an HTTP response, reuses its read buffers instead of allocating one per piece', async () => {
      const data = randomBytes(6 * MiB + 17);
      const key = await upload(data, [data.length], 256 * 1024, true);
      const server = await serveBodies(async () => ({ body: await storage.read(key), length: data.length }));
      const allocate = jest.spyOn(Buffer, 'allocUnsafeSlow');
      try {
        expect(sha(await readSlowly(await getResponse(`${server.url}/`)))).toBe(sha(data));
        // A buffer per piece would be six of a MiB or more.
        expect(allocate.mock.calls.filter(([size]) => size >= MiB).length).toBeLessThanOrEqual(2);
      } finally {
        allocate.mockRestore();
        await server.close();
      }
    });

    it('hands whole objects and ranges to readEach in order, in reused buffers, and lets go of the object', async () => {
      const data = randomBytes(6 * MiB + 17);
      const key = await upload(data, [data.length], 256 * 1024, true);
      const consumed = async (body: Readable) => {
        const copies: Buffer[] = [];
        const buffers = new Set<ArrayBufferLike>();
        await readEach(body, (chunk) => {
          buffers.add(chunk.buffer);
          copies.push(Buffer.from(chunk));
        });
        return { bytes: Buffer.concat(copies), pieces: copies.length, buffers: buffers.size };
      };
      const allocate = jest.spyOn(Buffer, 'allocUnsafeSlow');
      try {
        const bodies = [await storage.read(key), await storage.read(key, { start: MiB - 1, end: 3 * MiB + 1 })];
        const whole = await consumed(bodies[0]);
        expect(sha(whole.bytes)).toBe(sha(data));
        expect(whole.pieces).toBeGreaterThanOrEqual(6);
        // A buffer per piece would be six of a MiB or more.
        expect(whole.buffers).toBeLessThanOrEqual(2);
        expect(allocate.mock.calls.filter(([size]) => size >= MiB).length).toBeLessThanOrEqual(2);
        expect((await consumed(bodies[1])).bytes).toEqual(data.subarray(MiB - 1, 3 * MiB + 2));
        expect(bodies.map((body) => body.destroyed)).toEqual([true, true]);
      } finally {
        allocate.mockRestore();
      }
    });

    it('readEach stops and lets go of the object when the consumer throws', async () => {
      const data = randomBytes(16 * MiB);
      const key = await upload(data, [data.length], 256 * 1024, true);
      const body = await storage.read(key);
      let pieces = 0;
      await expect(
        readEach(body, () => {
          pieces += 1;
          if (pieces === 2) throw new Error('the consumer gave up');
        }),
      ).rejects.toThrow('the consumer gave up');
      expect(pieces).toBe(2);
      expect(body.destroyed).toBe(true);
      expect(body.readableEnded).toBe(false);
      // The store still serves the object in full.
      expect(sha(await readAll(await storage.read(key)))).toBe(sha(data));
    });

    it('stops reading and lets go of the object when the client goes away midway', async () => {
      // More than the sockets between server and client buffer, so the body cannot have ended.
      const data = randomBytes(16 * MiB);
      const key = await upload(data, [data.length], 256 * 1024, true);
      const server = await serveBodies(async () => ({ body: await storage.read(key), length: data.length }));
      try {
        const response = await getResponse(`${server.url}/`);
        await once(response, 'data');
        response.destroy();
        await closed(server.bodies[0]);
        expect(server.bodies[0].readableEnded).toBe(false);
        // The store still serves the object in full.
        expect(sha(await readAll(await storage.read(key)))).toBe(sha(data));
      } finally {
        await server.close();
      }
    });

    it('keeps what arrived before a body stream failed, and resumes there', async () => {
      const first = randomBytes(20_000);
      const rest = randomBytes(5_000);
      const started = await storage.beginUpload();
      const failure = await storage.append(started, 0, failingAfter(first, new Error('client went away'))).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(AppendInterruptedError);
      const interrupted = failure as AppendInterruptedError;
      expect(interrupted.size).toBeLessThanOrEqual(first.length);
      const kept = interrupted.size;
      const resumed = await storage.append({ key: started.key, state: interrupted.state }, kept, chunksOf(Buffer.concat([first.subarray(kept), rest]), 3000));
      const key = await storage.completeUpload({ key: started.key, state: resumed.state }, resumed.size);
      expect(await readAll(await storage.read(key))).toEqual(Buffer.concat([first, rest]));
    });

    it('replaces an unacknowledged append when the same offset is written again', async () => {
      const started = await storage.beginUpload();
      const a = await storage.append(started, 0, chunksOf(Buffer.from('hello '), 3));
      // A request whose result was never recorded; its retry starts from the same state.
      await storage.append({ key: started.key, state: a.state }, a.size, chunksOf(Buffer.from('XXXXXXXX'), 3));
      const b = await storage.append({ key: started.key, state: a.state }, a.size, chunksOf(Buffer.from('world'), 2));
      const key = await storage.completeUpload({ key: started.key, state: b.state }, b.size);
      expect((await readAll(await storage.read(key))).toString()).toBe('hello world');
    });

    it(`${options.readsUnfinishedUploads ? 'reads' : 'declines to read'} an unfinished upload, without what was never acknowledged`, async () => {
      const started = await storage.beginUpload();
      const data = randomBytes(large + 777);
      const a = await storage.append(started, 0, chunksOf(data, 5000));
      // An append whose result was never recorded: its bytes are not part of the upload.
      await storage.append({ key: started.key, state: a.state }, a.size, chunksOf(randomBytes(4321), 1000)).catch(() => undefined);
      if (!options.readsUnfinishedUploads) {
        expect(storage.readUpload).toBeUndefined();
        return;
      }
      const stored = await storage.readUpload!({ key: started.key, state: a.state }, a.size);
      expect(sha(await readAll(stored))).toBe(sha(data));
      const head = await storage.readUpload!({ key: started.key, state: a.state }, 1000);
      expect(await readAll(head)).toEqual(data.subarray(0, 1000));
      expect(await readAll(await storage.readUpload!(started, 0))).toEqual(Buffer.alloc(0));
    });

    it('reports missing objects as absent and as ObjectNotFoundError', async () => {
      expect(await storage.stat('blobs/00/does-not-exist')).toBeUndefined();
      await expect(storage.read('blobs/00/does-not-exist')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('deletes objects idempotently', async () => {
      const key = await upload(Buffer.from('bye'));
      await storage.delete(key);
      await storage.delete(key);
      expect(await storage.stat(key)).toBeUndefined();
    });

    it('aborts unfinished uploads, idempotently', async () => {
      const started = await storage.beginUpload();
      const { state } = await storage.append(started, 0, chunksOf(randomBytes(large + 10), 64 * 1024));
      await storage.abortUpload({ key: started.key, state });
      await storage.abortUpload({ key: started.key, state });
      expect(await storage.stat(started.key)).toBeUndefined();
    });

    it('aborting a completed upload removes its object (a commit that never reached the database)', async () => {
      const started = await storage.beginUpload();
      const { size, state } = await storage.append(started, 0, chunksOf(Buffer.from('orphan'), 2));
      const key = await storage.completeUpload({ key: started.key, state }, size);
      await storage.abortUpload({ key: started.key, state });
      expect(await storage.stat(key)).toBeUndefined();
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
