import { BlobEntity, RepositoryBlobEntity } from './blob.entity';
import { PersonalTokenEntity, RefreshTokenEntity, RobotEntity } from './credential.entity';
import { ManifestBlobEntity, ManifestChildEntity, ManifestEntity } from './manifest.entity';
import { OrgMemberEntity, TeamEntity, TeamMemberEntity } from './membership.entity';
import { NamespaceEntity } from './namespace.entity';
import { RepositoryEntity } from './repository.entity';
import { LoginFailureEntity, SettingEntity, SigningKeyEntity } from './system.entity';
import { TagEntity } from './tag.entity';
import { UploadEntity } from './upload.entity';
import { SessionEntity, UserEntity } from './user.entity';

export {
  BlobEntity,
  LoginFailureEntity,
  ManifestBlobEntity,
  ManifestChildEntity,
  ManifestEntity,
  NamespaceEntity,
  OrgMemberEntity,
  PersonalTokenEntity,
  RefreshTokenEntity,
  RepositoryBlobEntity,
  RepositoryEntity,
  RobotEntity,
  SettingEntity,
  SigningKeyEntity,
  TagEntity,
  TeamEntity,
  TeamMemberEntity,
  UploadEntity,
  SessionEntity,
  UserEntity,
};

export const ENTITIES = [
  RepositoryEntity,
  BlobEntity,
  RepositoryBlobEntity,
  ManifestEntity,
  ManifestBlobEntity,
  ManifestChildEntity,
  TagEntity,
  UploadEntity,
  NamespaceEntity,
  UserEntity,
  SessionEntity,
  OrgMemberEntity,
  TeamEntity,
  TeamMemberEntity,
  RobotEntity,
  PersonalTokenEntity,
  RefreshTokenEntity,
  SigningKeyEntity,
  SettingEntity,
  LoginFailureEntity,
];
