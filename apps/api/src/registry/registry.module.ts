import { Module } from '@nestjs/common';

import { RegistryAuth } from './registry-auth';
import { RegistryController } from './registry.controller';
import { BlobsService } from './services/blobs.service';
import { ListingService } from './services/listing.service';
import { ManifestsService } from './services/manifests.service';
import { PullRecorder } from './services/pull-recorder';
import { UploadDigesters } from './services/upload-digesters';
import { SavableSha256 } from './services/upload-hashes';
import { UploadPurger } from './services/upload-purger';
import { UploadsService } from './services/uploads.service';

/** The OCI distribution surface, `/v2`. */
@Module({
  controllers: [RegistryController],
  providers: [RegistryAuth, BlobsService, ListingService, ManifestsService, PullRecorder, UploadDigesters, UploadPurger, UploadsService, { provide: SavableSha256, useFactory: () => SavableSha256.create() }],
})
export class RegistryModule {}
