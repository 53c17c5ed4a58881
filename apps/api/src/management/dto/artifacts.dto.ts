import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

import { PageQueryDto } from '../paging';
import { NO_NUL, SORT_ORDERS } from './repositories.dto';

export const TAG_SORTS = ['name', 'pushed', 'size'] as const;
export const ARTIFACT_SORTS = ['pushed', 'size'] as const;

export const DIGEST_PARAM = {
  name: 'digest',
  description: 'a manifest digest, `sha256:` and 64 lower-case hex digits (or `sha512:` and 128); anything else is refused with 400',
  example: 'sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b',
} as const;

export class TagListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only tags containing this text (case-insensitive, no wildcard)', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  q?: string;

  @ApiPropertyOptional({ enum: TAG_SORTS, default: 'name', description: '`pushed`: when the tag was last pointed at a manifest; `size`: the total size of its artifact' })
  @IsOptional()
  @IsIn(TAG_SORTS)
  sort?: (typeof TAG_SORTS)[number];

  @ApiPropertyOptional({ enum: SORT_ORDERS, description: 'default: `asc` by name, `desc` (newest, largest first) by push time and size' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: (typeof SORT_ORDERS)[number];
}

export class ArtifactListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only artifacts with a tag containing this text (case-insensitive, no wildcard)', maxLength: 128 })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  q?: string;

  @ApiPropertyOptional({ enum: ARTIFACT_SORTS, default: 'pushed', description: '`pushed`: when the manifest was last pushed; `size`: its total size' })
  @IsOptional()
  @IsIn(ARTIFACT_SORTS)
  sort?: (typeof ARTIFACT_SORTS)[number];

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'desc', description: 'default: `desc` (newest, largest first)' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: (typeof SORT_ORDERS)[number];
}

export class PlatformDto {
  @ApiProperty({ example: 'linux' })
  os!: string;

  @ApiProperty({ example: 'arm64' })
  architecture!: string;

  @ApiPropertyOptional({ example: 'v8' })
  variant?: string;
}

export class TagDto {
  @ApiProperty({ example: 'v1.2.3' })
  name!: string;

  @ApiProperty({ example: DIGEST_PARAM.example })
  digest!: string;

  @ApiProperty({ example: 'application/vnd.oci.image.index.v1+json', description: 'media type of the manifest' })
  mediaType!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the artifact type (for an image: its config media type)' })
  artifactType!: string | null;

  @ApiProperty({ description: 'bytes of the manifest, its blobs and, for an index, its children, as pushed' })
  size!: number;

  @ApiProperty({ type: [PlatformDto], description: 'for an index: the platforms of its children (attestations left out); empty for an image' })
  platforms!: PlatformDto[];

  @ApiProperty({ format: 'date-time', description: 'when the tag was last pointed at a manifest' })
  pushedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'when its manifest was last pulled (recorded in batches, a few seconds late)' })
  lastPulledAt!: string | null;
}

export class TagPageDto {
  @ApiProperty({ type: [TagDto] })
  items!: TagDto[];

  @ApiPropertyOptional({ description: 'pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

export class ArtifactDto {
  @ApiProperty({ example: DIGEST_PARAM.example })
  digest!: string;

  @ApiProperty({ example: 'application/vnd.oci.image.manifest.v1+json' })
  mediaType!: string;

  @ApiProperty({ type: String, nullable: true, description: 'the artifact type (for an image: its config media type)' })
  artifactType!: string | null;

  @ApiProperty({ type: [String], description: `its tags in byte order (at most 100; see tagCount)` })
  tags!: string[];

  @ApiProperty()
  tagCount!: number;

  @ApiProperty({ description: 'bytes of the manifest alone' })
  manifestSize!: number;

  @ApiProperty({ description: 'bytes of the manifest, its blobs and, for an index, its children, as pushed' })
  size!: number;

  @ApiProperty({ type: [PlatformDto], description: 'for an index: the platforms of its children (attestations left out); empty for an image' })
  platforms!: PlatformDto[];

  @ApiProperty({ format: 'date-time' })
  pushedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastPulledAt!: string | null;
}

export class ArtifactPageDto {
  @ApiProperty({ type: [ArtifactDto] })
  items!: ArtifactDto[];

  @ApiPropertyOptional({ description: 'pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

export class LayerDto {
  @ApiProperty()
  digest!: string;

  @ApiProperty({ example: 'application/vnd.oci.image.layer.v1.tar+gzip' })
  mediaType!: string;

  @ApiProperty()
  size!: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  annotations?: Record<string, string>;
}

export class ConfigDto {
  @ApiProperty()
  digest!: string;

  @ApiProperty({ example: 'application/vnd.oci.image.config.v1+json' })
  mediaType!: string;

  @ApiProperty()
  size!: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'the config blob as JSON; null when it is not JSON or larger than 1 MiB',
  })
  content!: Record<string, unknown> | null;
}

export class HistoryEntryDto {
  @ApiPropertyOptional({ format: 'date-time' })
  created?: string;

  @ApiPropertyOptional({ description: 'the build step (`created_by`)', example: '/bin/sh -c apk add curl' })
  createdBy?: string;

  @ApiProperty({ description: 'the step made no layer (`empty_layer`)' })
  emptyLayer!: boolean;

  @ApiPropertyOptional()
  comment?: string;

  @ApiPropertyOptional()
  author?: string;
}

export class ChildDto {
  @ApiProperty()
  digest!: string;

  @ApiProperty()
  mediaType!: string;

  @ApiProperty({ description: 'bytes of the child manifest, as the index declares' })
  size!: number;

  @ApiPropertyOptional({ description: 'bytes of the child with its blobs, when the repository holds it' })
  totalSize?: number;

  @ApiPropertyOptional({ type: PlatformDto })
  platform?: PlatformDto;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  annotations?: Record<string, string>;
}

export class ReferrerDto {
  @ApiProperty()
  digest!: string;

  @ApiProperty()
  mediaType!: string;

  @ApiProperty({ description: 'bytes of the referrer manifest' })
  size!: number;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  annotations?: Record<string, string>;
}

export class ReferrerGroupDto {
  @ApiProperty({ type: String, nullable: true, example: 'application/vnd.dev.cosign.artifact.sig.v1+json', description: 'null for referrers without one' })
  artifactType!: string | null;

  @ApiProperty({ type: [ReferrerDto] })
  referrers!: ReferrerDto[];
}

export class ArtifactDetailDto extends ArtifactDto {
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the manifest as pushed, parsed' })
  manifest!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: 'the digest of its subject, for a referrer' })
  subject!: string | null;

  @ApiProperty({ type: ConfigDto, nullable: true, description: 'null for an index' })
  config!: ConfigDto | null;

  @ApiPropertyOptional({ type: PlatformDto, description: 'for an image: os and architecture from its config' })
  platform?: PlatformDto;

  @ApiProperty({ type: [LayerDto] })
  layers!: LayerDto[];

  @ApiProperty({ type: [HistoryEntryDto], description: 'the build history from the config (`history`), oldest first' })
  history!: HistoryEntryDto[];

  @ApiProperty({ type: [ChildDto], description: 'for an index: its manifests, in order' })
  children!: ChildDto[];

  @ApiProperty({ type: [ReferrerGroupDto], description: 'manifests whose subject is this one (signatures, SBOMs, attestations...), grouped by artifact type' })
  referrers!: ReferrerGroupDto[];
}
