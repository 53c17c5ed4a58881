import { RegistryCore1764288000000 } from './1764288000000-registry-core';
import { Identity1764374400000 } from './1764374400000-identity';
import { Management1764460800000 } from './1764460800000-management';
import { ManifestChangeNotices1764547200000 } from './1764547200000-manifest-change-notices';
import { ManifestPushedIndex1764633600000 } from './1764633600000-manifest-pushed-index';
import { AccessChangeNotices1764720000000 } from './1764720000000-access-change-notices';
import { UploadStoredDigest1764806400000 } from './1764806400000-upload-stored-digest';
import { UploadHashState1764892800000 } from './1764892800000-upload-hash-state';
import { UploadWriter1764979200000 } from './1764979200000-upload-writer';
import { RepositoryCreatedNotice1765065600000 } from './1765065600000-repository-created-notice';
import { CredentialChangeNotices1765152000000 } from './1765152000000-credential-change-notices';
import { UploadWriterPid1765238400000 } from './1765238400000-upload-writer-pid';
import { CredentialNoticePayload1765324800000 } from './1765324800000-credential-notice-payload';

/** Every migration, oldest first. A merged migration is never edited: add a new one. */
export const MIGRATIONS = [RegistryCore1764288000000, Identity1764374400000, Management1764460800000, ManifestChangeNotices1764547200000, ManifestPushedIndex1764633600000, AccessChangeNotices1764720000000, UploadStoredDigest1764806400000, UploadHashState1764892800000, UploadWriter1764979200000, RepositoryCreatedNotice1765065600000, CredentialChangeNotices1765152000000, UploadWriterPid1765238400000, CredentialNoticePayload1765324800000];
