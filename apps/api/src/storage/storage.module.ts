import { Global, Logger, Module } from '@nestjs/common';
import { FilesystemBlobStorage, S3BlobStorage, type BlobStorage } from '@wharf/storage';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';

export const BLOB_STORAGE = Symbol('BLOB_STORAGE');

async function createStorage(config: WharfConfig): Promise<BlobStorage> {
  if (config.storage === 'filesystem') return new FilesystemBlobStorage(config.storageDir);
  const s3 = config.s3!;
  const storage = new S3BlobStorage(s3);
  if (s3.createBucket) {
    // Not fatal: the registry starts and answers 503 until S3 is reachable (see /readyz).
    await storage.ensureBucket().catch((error: Error) => new Logger('Storage').warn(`${error.message}; blob requests answer 503 until it is reachable`));
  }
  return storage;
}

@Global()
@Module({
  providers: [{ provide: BLOB_STORAGE, inject: [WHARF_CONFIG], useFactory: createStorage }],
  exports: [BLOB_STORAGE],
})
export class StorageModule {}
