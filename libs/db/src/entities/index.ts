import { BlobEntity, RepositoryBlobEntity } from './blob.entity';
import { ManifestBlobEntity, ManifestChildEntity, ManifestEntity } from './manifest.entity';
import { RepositoryEntity } from './repository.entity';
import { TagEntity } from './tag.entity';
import { UploadEntity } from './upload.entity';

export { BlobEntity, ManifestBlobEntity, ManifestChildEntity, ManifestEntity, RepositoryBlobEntity, RepositoryEntity, TagEntity, UploadEntity };

export const ENTITIES = [RepositoryEntity, BlobEntity, RepositoryBlobEntity, ManifestEntity, ManifestBlobEntity, ManifestChildEntity, TagEntity, UploadEntity];
