import { Module } from '@nestjs/common';

import { RegistryAuth } from './registry-auth';
import { RegistryController } from './registry.controller';
import { BlobsService } from './services/blobs.service';
import { ListingService } from './services/listing.service';
import { ManifestsService } from './services/manifests.service';
import { PullRecorder } from './services/pull-recorder';
import { UploadDigesters } from './services/upload-digesters';
import { UploadPurger } from './services/upload-purger';
import { UploadsService } from './services/uploads.service';

/** The OCI distribution surface, `/v2`. */
@Module({
  controllers: [RegistryController],
  providers: [RegistryAuth, BlobsService, ListingService, ManifestsService, PullRecorder, UploadDigesters, UploadPurger, UploadsService],
})
export class RegistryModule {}
