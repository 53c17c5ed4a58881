import { Global, Module } from '@nestjs/common';
import { FilesystemBlobStorage } from '@wharf/storage';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';

export const BLOB_STORAGE = Symbol('BLOB_STORAGE');

@Global()
@Module({
  providers: [
    {
      provide: BLOB_STORAGE,
      inject: [WHARF_CONFIG],
      useFactory: (config: WharfConfig) => new FilesystemBlobStorage(config.storageDir),
    },
  ],
  exports: [BLOB_STORAGE],
})
export class StorageModule {}
