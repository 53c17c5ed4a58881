import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BlobStorage } from './blob-storage';
import { FilesystemBlobStorage } from './fs-storage';
import { describeStorageContract } from './testing/storage-contract';

describeStorageContract(
  'filesystem',
  async () => new FilesystemBlobStorage(await mkdtemp(join(tmpdir(), 'wharf-fs-'))),
  async (storage: BlobStorage) => (storage as FilesystemBlobStorage).destroy(),
  { readsUnfinishedUploads: true },
);
