import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import type { BlobStorage } from './blob-storage';
import { FilesystemBlobStorage } from './fs-storage';
import { describeStorageContract } from './testing/storage-contract';

describeStorageContract(
  'filesystem',
  async () => new FilesystemBlobStorage(await mkdtemp(join(tmpdir(), 'wharf-fs-'))),
  async (storage: BlobStorage) => (storage as FilesystemBlobStorage).destroy(),
  { readsUnfinishedUploads: true },
);

describe('filesystem storage: writeback started during uploads', () => {
  const MiB = 1024 * 1024;
  /** Files under `root` this process holds open. */
  const openUnder = (root: string) =>
    readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(root);
      } catch {
        return false; // closed while listed
      }
    });

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
      expect(openUnder(root)).toEqual([]);

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
