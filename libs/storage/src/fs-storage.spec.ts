import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { BlobStorage } from './blob-storage';
import { AppendInterruptedError } from './errors';
import { FilesystemBlobStorage } from './fs-storage';
import { openFilesUnder } from './testing/open-files';
import { describeStorageContract } from './testing/storage-contract';

describeStorageContract(
  'filesystem',
  async () => new FilesystemBlobStorage(await mkdtemp(join(tmpdir(), 'wharf-fs-'))),
  async (storage: BlobStorage) => (storage as FilesystemBlobStorage).destroy(),
  { readsUnfinishedUploads: true },
);

type Writev = (...args: unknown[]) => Promise<unknown>;

/** The prototype that Node's file handles share, to spy on their writev, and its own writev. */
async function writevOfFileHandles(root: string): Promise<{ proto: { writev: Writev }; original: Writev }> {
  const probe = await open(join(root, 'probe'), 'w');
  await probe.close();
  const proto = Object.getPrototypeOf(probe) as { writev: Writev };
  return { proto, original: proto.writev };
}

describe('filesystem storage: writeback started during uploads', () => {
  const MiB = 1024 * 1024;
  it('keeps every byte and closes every file an upload opened, also when a writeback outlives its request', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wharf-fs-writeback-'));
    const storage = new FilesystemBlobStorage(root);
    try {
      // Few allocations before the check of open files: a garbage collection would close a
      // leaked file handle (with a warning) and hide the leak.
      const random = randomBytes(2 * MiB + 4);
      const pieces = Array.from({ length: 16 }, (_, i) => random.subarray(i % 4, (i % 4) + 2 * MiB));
      const upload = await storage.beginUpload();
      let size = 0;
      // 8 MiB per append: the writeback threshold is reached by the last write of each, so a
      // writeback started then is still running when the append ends.
      for (let i = 0; i < pieces.length; i += 4) size = (await storage.append(upload, size, Readable.from(pieces.slice(i, i + 4)))).size;
      const key = await storage.completeUpload(upload, size);
      await storage.writebacksSettled();
      expect(openFilesUnder(root)).toEqual([]);

      const stored = createHash('sha256');
      for await (const chunk of await storage.read(key)) stored.update(chunk as Buffer);
      const sent = createHash('sha256');
      for (const p of pieces) sent.update(p);
      expect(stored.digest('hex')).toBe(sent.digest('hex'));
    } finally {
      await storage.destroy();
    }
  });
});

describe('filesystem storage: bytes another process stored', () => {
  const MiB = 1024 * 1024;
  type Datasync = (...args: unknown[]) => Promise<void>;

  // Two stores on one root stand for two processes (or one process before and after a restart).
  it('starts writing them back at the first append this process makes, once', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wharf-fs-handover-'));
    const probe = await open(join(root, 'probe'), 'w');
    await probe.close();
    const proto = Object.getPrototypeOf(probe) as { datasync: Datasync };
    const datasync = jest.spyOn(proto, 'datasync');
    const before = new FilesystemBlobStorage(root);
    const after = new FilesystemBlobStorage(root);
    try {
      const upload = await before.beginUpload();
      // 1 MiB appends stay under the threshold of a writeback within a request.
      let size = 0;
      for (let i = 0; i < 8; i++) size = (await before.append(upload, size, Readable.from([Buffer.alloc(MiB, i)]))).size;
      await before.writebacksSettled();
      expect(datasync).not.toHaveBeenCalled();

      size = (await after.append(upload, size, Readable.from([Buffer.alloc(MiB, 8)]))).size;
      await after.writebacksSettled();
      expect(datasync).toHaveBeenCalledTimes(1);
      size = (await after.append(upload, size, Readable.from([Buffer.alloc(MiB, 9)]))).size;
      await after.writebacksSettled();
      expect(datasync).toHaveBeenCalledTimes(1);

      // Under the threshold, what another process stored is left to the commit.
      const small = await before.beginUpload();
      const smallSize = (await before.append(small, 0, Readable.from([Buffer.alloc(MiB, 1)]))).size;
      await after.append(small, smallSize, Readable.from([Buffer.alloc(MiB, 2)]));
      await after.writebacksSettled();
      expect(datasync).toHaveBeenCalledTimes(1);

      const key = await after.completeUpload(upload, size);
      const stored = createHash('sha256');
      for await (const chunk of await after.read(key)) stored.update(chunk as Buffer);
      const sent = createHash('sha256');
      for (let i = 0; i < 10; i++) sent.update(Buffer.alloc(MiB, i));
      expect(stored.digest('hex')).toBe(sent.digest('hex'));
      expect(openFilesUnder(root)).toEqual([]);
    } finally {
      datasync.mockRestore();
      await before.destroy();
    }
  });
});

describe('filesystem storage: write sizes', () => {
  const KiB = 1024;
  /** A barrier: `arrive()` resolves `passed` once it has been called `parties` times. */
  function barrier(parties: number) {
    let arrived = 0;
    let open!: () => void;
    const passed = new Promise<void>((resolve) => (open = resolve));
    return { passed, arrive: () => void (++arrived === parties && open()) };
  }
  const noBarrier = { passed: Promise.resolve(), arrive: () => undefined };

  /** A body of `count` 64 KiB chunks: its first chunk waits at `first`, its last at `last`. */
  async function* gatedBody(count: number, first = noBarrier, last = noBarrier): AsyncGenerator<Uint8Array> {
    first.arrive();
    await first.passed;
    for (let i = 0; i < count; i++) {
      if (i === count - 1) {
        last.arrive();
        await last.passed;
      }
      yield Buffer.alloc(64 * KiB, i);
    }
  }

  it('writes 1 MiB at a time for one upload and smaller batches when many run at once', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wharf-fs-batches-'));
    const storage = new FilesystemBlobStorage(root);
    const writev = jest.spyOn((await writevOfFileHandles(root)).proto, 'writev');
    const bytesPerWrite = () => writev.mock.calls.map(([buffers]) => (buffers as Uint8Array[]).reduce((sum, b) => sum + b.byteLength, 0));
    try {
      const alone = await storage.beginUpload();
      await storage.append(alone, 0, gatedBody(32));
      expect(bytesPerWrite()).toEqual([1024 * KiB, 1024 * KiB]);

      // Eight appends at once: every one is running before any body yields a byte, and none
      // ends (and stops counting) before all have come to their last chunk.
      writev.mockClear();
      const [first, last] = [barrier(8), barrier(8)];
      const uploads = await Promise.all(Array.from({ length: 8 }, () => storage.beginUpload()));
      const appends = uploads.map((upload) => storage.append(upload, 0, gatedBody(32, first, last)));
      expect((await Promise.all(appends)).map((r) => r.size)).toEqual(Array(8).fill(2048 * KiB));
      expect(bytesPerWrite()).toEqual(Array(32).fill(512 * KiB));

      // Alone again afterwards: the finished appends no longer count.
      writev.mockClear();
      await storage.append(alone, 2048 * KiB, gatedBody(16));
      expect(bytesPerWrite()).toEqual([1024 * KiB]);
    } finally {
      writev.mockRestore();
      await storage.destroy();
    }
  });
});

describe('filesystem storage: writes overlap the body', () => {
  const KiB = 1024;
  async function until(condition: () => boolean): Promise<void> {
    const deadline = Date.now() + 2_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  it('gathers the next batch while one is written, with at most one write in flight', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wharf-fs-overlap-'));
    const storage = new FilesystemBlobStorage(root);
    const { proto, original } = await writevOfFileHandles(root);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const writev = jest.spyOn(proto, 'writev').mockImplementation(async function (this: unknown, ...args: unknown[]) {
      if (writev.mock.calls.length === 1) await released;
      return original.apply(this, args);
    });
    try {
      const chunks = Array.from({ length: 48 }, (_, i) => Buffer.alloc(64 * KiB, i));
      let pulled = 0;
      const body = (async function* () {
        for (const chunk of chunks) {
          pulled++;
          yield chunk;
        }
      })();
      const upload = await storage.beginUpload();
      const appended = storage.append(upload, 0, body);
      await until(() => writev.mock.calls.length === 1);
      // The first 1 MiB is being written; the body goes on up to the second 1 MiB, which waits.
      await until(() => pulled >= 32);
      expect(writev).toHaveBeenCalledTimes(1);
      release();
      expect((await appended).size).toBe(48 * 64 * KiB);
      expect(writev).toHaveBeenCalledTimes(3);
      const key = await storage.completeUpload(upload, 48 * 64 * KiB);
      const stored = createHash('sha256');
      for await (const chunk of await storage.read(key)) stored.update(chunk as Buffer);
      expect(stored.digest('hex')).toBe(createHash('sha256').update(Buffer.concat(chunks)).digest('hex'));
    } finally {
      writev.mockRestore();
      await storage.destroy();
    }
  });

  it('reports a write that fails while the body goes on (disk full), and counts the batch in flight when the body fails', async () => {
    const root = await mkdtemp(join(tmpdir(), 'wharf-fs-overlap-fail-'));
    const storage = new FilesystemBlobStorage(root);
    const { proto, original } = await writevOfFileHandles(root);
    const writev = jest.spyOn(proto, 'writev').mockImplementation(async function (this: unknown, ...args: unknown[]) {
      if (writev.mock.calls.length === 2) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return original.apply(this, args);
    });
    try {
      const full = await storage.beginUpload();
      const megabytes = (count: number) => Readable.from(Array.from({ length: count * 16 }, (_, i) => Buffer.alloc(64 * KiB, i)));
      await expect(storage.append(full, 0, megabytes(3))).rejects.toThrow(/disk full/);

      writev.mockImplementation(async function (this: unknown, ...args: unknown[]) {
        return original.apply(this, args);
      });
      const broken = await storage.beginUpload();
      const body = (async function* () {
        for (let i = 0; i < 20; i++) yield Buffer.alloc(64 * KiB, i);
        throw new Error('connection reset');
      })();
      const failure = await storage.append(broken, 0, body).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(AppendInterruptedError);
      // The first 1 MiB was written; the 256 KiB gathered after it were not.
      expect((failure as AppendInterruptedError).size).toBe(1024 * KiB);
    } finally {
      writev.mockRestore();
      await storage.destroy();
    }
  });
});
