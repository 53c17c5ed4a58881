import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';

import { CATCH_UP_HOLD_BYTES, UploadDigesters, type BodyHash, type StoredBefore } from './upload-digesters';
import { SavableSha256 } from './upload-hashes';

const hex = (algorithm: string, data: string) => `${algorithm}:${createHash(algorithm).update(data).digest('hex')}`;

/** Bytes stored before a body, readable through `read`, with no saved hash state. */
const storedBy = (read: StoredBefore['read']): StoredBefore => ({ read, savable: false });

describe('UploadDigesters', () => {
  let savable: SavableSha256;
  beforeAll(async () => {
    savable = await SavableSha256.create();
  });

  it('gives the digest when the running hash covers exactly the stored bytes', () => {
    const digesters = new UploadDigesters(savable);
    digesters.start('u1', 'sha256');
    const running = digesters.resume('u1', 0)!;
    running.hash.update(Buffer.from('hello '));
    running.offset = 6;
    const again = digesters.resume('u1', 6)!;
    again.hash.update(Buffer.from('world'));
    again.offset = 11;
    expect(digesters.finish('u1', 11, 'sha256')).toBe(hex('sha256', 'hello world'));
  });

  it('drops the hash when the stored size moved elsewhere (another process took a chunk)', () => {
    const digesters = new UploadDigesters(savable);
    digesters.start('u2', 'sha256');
    const running = digesters.resume('u2', 0)!;
    running.hash.update(Buffer.from('abc'));
    running.offset = 3;
    expect(digesters.resume('u2', 10)).toBeUndefined();
    expect(digesters.finish('u2', 10, 'sha256')).toBeUndefined();
  });

  it('refuses to answer for another algorithm or size, so the caller re-reads', () => {
    const digesters = new UploadDigesters(savable);
    digesters.start('u3', 'sha256');
    expect(digesters.finish('u3', 0, 'sha512')).toBeUndefined();
    digesters.start('u4', 'sha512');
    expect(digesters.finish('u4', 5, 'sha512')).toBeUndefined();
  });

  it('starts a fresh sha256 for an empty upload it has never seen', () => {
    const digesters = new UploadDigesters(savable);
    expect(digesters.resume('fresh', 0)).toBeDefined();
    expect(digesters.finish('fresh', 0, 'sha256')).toBe(hex('sha256', ''));
  });

  describe('forBody', () => {
    const bytesOf = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)));
    const feed = async (hash: BodyHash, ...parts: string[]) => {
      for (const part of parts) await hash.update(Buffer.from(part));
    };

    it('hashes a body on top of the running hash, and keeps the new size only once recorded', async () => {
      const digesters = new UploadDigesters(savable);
      digesters.start('direct', 'sha256');
      const read = jest.fn(async () => bytesOf('never read'));
      const hash = digesters.forBody('direct', 0, storedBy(read));
      await feed(hash, 'hello ', 'world');
      expect(digesters.resume('direct', 11)).toBeUndefined();
      expect(read).not.toHaveBeenCalled();

      digesters.start('recorded', 'sha256');
      const recorded = digesters.forBody('recorded', 0, storedBy(read));
      await feed(recorded, 'hello ', 'world');
      // node:crypto's hash gives no state to save
      expect(await recorded.settle()).toEqual({ digest: hex('sha256', 'hello world'), state: undefined });
      recorded.record(11);
      // taking the digest so far leaves the hash going on
      const next = digesters.forBody('recorded', 11, storedBy(read));
      await feed(next, '!');
      expect((await next.settle())?.digest).toBe(hex('sha256', 'hello world!'));
      next.record(12);
      expect(digesters.finish('recorded', 12, 'sha256')).toBe(hex('sha256', 'hello world!'));
    });

    it('forgets the running hash when the body is abandoned', async () => {
      const digesters = new UploadDigesters(savable);
      digesters.start('failed', 'sha256');
      const hash = digesters.forBody('failed', 0, storedBy(async () => undefined));
      await feed(hash, 'half a bo');
      hash.abandon();
      // Not the hash of what was fed: a fresh one for the empty upload
      expect(digesters.finish('failed', 0, 'sha256')).toBeUndefined();
      expect(digesters.resume('failed', 0)).toBeDefined();
      expect(digesters.finish('failed', 0, 'sha256')).toBe(hex('sha256', ''));
    });

    it('rebuilds the hash of an upload it holds none for from the stored bytes, hashing the body after them', async () => {
      const digesters = new UploadDigesters(savable);
      const stored = new PassThrough();
      const read = jest.fn(async () => stored);
      const hash = digesters.forBody('restarted', 6, storedBy(read));
      // The body arrives while the stored bytes are still being read.
      await feed(hash, 'wor', 'ld');
      stored.end('hello ');
      await feed(hash, '!');
      expect((await hash.settle())?.digest).toBe(hex('sha256', 'hello world!'));
      hash.record(12);
      expect(read).toHaveBeenCalledTimes(1);
      expect(digesters.finish('restarted', 12, 'sha256')).toBe(hex('sha256', 'hello world!'));
    });

    it(`holds at most ${CATCH_UP_HOLD_BYTES / 1024 / 1024} MiB of the body: then the body waits for the re-read`, async () => {
      const digesters = new UploadDigesters(savable);
      const stored = new PassThrough();
      const hash = digesters.forBody('big', 3, storedBy(async () => stored));
      const quarter = Buffer.alloc(CATCH_UP_HOLD_BYTES / 4, 7);
      for (let i = 0; i < 3; i++) expect(hash.update(quarter)).toBeUndefined();
      const wait = hash.update(quarter);
      expect(wait).toBeInstanceOf(Promise);
      let waited = false;
      void wait!.then(() => (waited = true));
      await new Promise((resolve) => setImmediate(resolve));
      expect(waited).toBe(false);
      stored.end('abc');
      await wait;
      expect(hash.update(quarter)).toBeUndefined();
      await hash.settle();
      hash.record(3 + 5 * quarter.length);
      const expected = createHash('sha256').update('abc');
      for (let i = 0; i < 5; i++) expected.update(quarter);
      expect(digesters.finish('big', 3 + 5 * quarter.length, 'sha256')).toBe(`sha256:${expected.digest('hex')}`);
    });

    it('catches up once per upload: a second time (chunks spread over processes) it leaves the re-read to the commit', async () => {
      const digesters = new UploadDigesters(savable);
      const first = digesters.forBody('spread', 3, storedBy(async () => bytesOf('abc')));
      await first.settle();
      first.record(3);
      // another process took the next chunk
      const read = jest.fn(async () => bytesOf('abcdefghi'));
      const second = digesters.forBody('spread', 9, storedBy(read));
      await feed(second, 'jkl');
      expect(await second.settle()).toBeUndefined();
      second.record(12);
      expect(read).not.toHaveBeenCalled();
      expect(digesters.finish('spread', 12, 'sha256')).toBeUndefined();
    });

    it('never catches up with an upload it hashed from the first byte', async () => {
      const digesters = new UploadDigesters(savable);
      digesters.start('began-here', 'sha256');
      expect(digesters.resume('began-here', 4)).toBeUndefined();
      const read = jest.fn(async () => bytesOf('abcd'));
      const hash = digesters.forBody('began-here', 4, storedBy(read));
      expect(await hash.settle()).toBeUndefined();
      hash.record(5);
      expect(read).not.toHaveBeenCalled();
      expect(digesters.finish('began-here', 5, 'sha256')).toBeUndefined();
    });

    it('gives up when the store cannot read the upload, read another size than stored, or failed midway', async () => {
      const digesters = new UploadDigesters(savable);
      const failing = new PassThrough();
      const cases = {
        's3-parts': async () => undefined,
        short: async () => bytesOf('abc'),
        broken: async () => failing,
        unreachable: async (): Promise<Readable> => {
          throw new Error('store down');
        },
      };
      for (const [uploadId, read] of Object.entries(cases)) {
        const hash = digesters.forBody(uploadId, 5, storedBy(read));
        await feed(hash, 'fgh');
        if (uploadId === 'broken') {
          failing.write('ab');
          failing.destroy(new Error('connection reset'));
        }
        expect(await hash.settle()).toBeUndefined();
        hash.record(8);
        expect(digesters.finish(uploadId, 8, 'sha256')).toBeUndefined();
      }
    });

    it('stops re-reading and keeps nothing once the body is abandoned', async () => {
      const digesters = new UploadDigesters(savable);
      const stored = new PassThrough();
      const hash = digesters.forBody('abandoned', 4, storedBy(async () => stored));
      await feed(hash, 'efgh');
      stored.write('ab');
      hash.abandon();
      stored.write('cd');
      expect(await hash.settle()).toBeUndefined();
      hash.record(8);
      expect(stored.destroyed).toBe(true);
      expect(digesters.finish('abandoned', 8, 'sha256')).toBeUndefined();
    });
  });

  describe('chunks to a store that cannot read them back (savable)', () => {
    const unreadable = jest.fn(async () => undefined);
    const chunked = (hashState?: Uint8Array): StoredBefore => ({ read: unreadable, hashState, savable: true });
    /** One chunk through `digesters` at `offset`; what its settle gives. */
    const chunk = async (digesters: UploadDigesters, uploadId: string, offset: number, data: string, stored: StoredBefore) => {
      const hash = digesters.forBody(uploadId, offset, stored);
      await hash.update(Buffer.from(data));
      const hashed = await hash.settle();
      hash.record(offset + data.length);
      return hashed;
    };
    beforeEach(() => unreadable.mockClear());

    it('saves a state with each chunk, from which another process goes on without reading anything', async () => {
      const first = new UploadDigesters(savable);
      first.start('spread', 'sha256');
      const a = await chunk(first, 'spread', 0, 'hello ', chunked());
      expect(a?.digest).toBe(hex('sha256', 'hello '));
      expect(a?.state).toBeInstanceOf(Uint8Array);
      // Another process, with its own WebAssembly instance.
      const second = new UploadDigesters(await SavableSha256.create());
      const b = await chunk(second, 'spread', 6, 'world', chunked(a!.state));
      expect(b?.digest).toBe(hex('sha256', 'hello world'));
      // Back to the first process, whose own hash is behind: the saved state wins.
      const c = await chunk(first, 'spread', 11, '!', chunked(b!.state));
      expect(c?.digest).toBe(hex('sha256', 'hello world!'));
      expect(first.finish('spread', 12, 'sha256')).toBe(hex('sha256', 'hello world!'));
      expect(unreadable).not.toHaveBeenCalled();
    });

    it('keeps hashes of uploads received at once apart, though they share one WebAssembly instance', async () => {
      const digesters = new UploadDigesters(savable);
      const one = digesters.forBody('one', 0, chunked());
      const two = digesters.forBody('two', 0, chunked());
      for (const part of ['ab', 'cd', 'ef']) {
        await one.update(Buffer.from(part));
        await two.update(Buffer.from(part.toUpperCase()));
      }
      expect((await one.settle())?.digest).toBe(hex('sha256', 'abcdef'));
      expect((await two.settle())?.digest).toBe(hex('sha256', 'ABCDEF'));
    });

    it('hashes the first chunk with a savable hash though the upload began with another', async () => {
      const digesters = new UploadDigesters(savable);
      digesters.start('began', 'sha256');
      expect((await chunk(digesters, 'began', 0, 'abc', chunked()))?.state).toBeInstanceOf(Uint8Array);
      // A body without a range (streamed) to the same store keeps node:crypto's faster hash.
      digesters.start('streamed', 'sha256');
      expect(await chunk(digesters, 'streamed', 0, 'abc', { read: unreadable, savable: false })).toEqual({ digest: hex('sha256', 'abc'), state: undefined });
    });

    it('falls back to the re-read at commit when the saved state is not one this build can load', async () => {
      const digesters = new UploadDigesters(savable);
      const saved = (await chunk(new UploadDigesters(savable), 'foreign', 0, 'abc', chunked()))!.state!;
      const foreign = Uint8Array.from(saved);
      foreign[0] ^= 0xff; // the prefix naming the hash-wasm build that saved it
      expect(await chunk(digesters, 'foreign', 3, 'def', chunked(foreign))).toBeUndefined();
      expect(unreadable).toHaveBeenCalledTimes(1);
      expect(digesters.finish('foreign', 6, 'sha256')).toBeUndefined();
      expect(await chunk(digesters, 'short', 3, 'def', chunked(saved.subarray(1)))).toBeUndefined();
    });
  });
});
