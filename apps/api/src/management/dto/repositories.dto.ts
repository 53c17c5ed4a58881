import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERMISSIONS, type Permission } from '@wharf/authz';
import { IsBoolean, IsByteLength, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

import { PageQueryDto } from '../paging';

/** No NUL: PostgreSQL text cannot hold one. */
export const NO_NUL = /^[^\u0000]*$/;

export const SORT_ORDERS = ['asc', 'desc'] as const;
export const REPOSITORY_SORTS = ['name', 'pushed'] as const;

/** Largest repository description, in UTF-8 bytes. */
export const MAX_DESCRIPTION_BYTES = 64 * 1024;

export const REPOSITORY_NAME_PARAM = {
  name: 'name',
  description:
    'The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` ' +
    '(`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route.',
  example: 'acme/team/app',
} as const;

export class RepositoryListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only repositories whose name contains this text (case-insensitive, no wildcard)', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  q?: string;

  @ApiPropertyOptional({ description: 'only repositories of this organization or personal namespace', example: 'acme' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  namespace?: string;

  @ApiPropertyOptional({ enum: REPOSITORY_SORTS, default: 'name', description: '`pushed`: by the latest push (a repository never pushed to: by its creation)' })
  @IsOptional()
  @IsIn(REPOSITORY_SORTS)
  sort?: (typeof REPOSITORY_SORTS)[number];

  @ApiPropertyOptional({ enum: SORT_ORDERS, description: 'default: `asc` by name, `desc` (newest first) by push time' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: (typeof SORT_ORDERS)[number];
}

export class RepositoryDto {
  @ApiProperty({ example: 'acme/team/app' })
  name!: string;

  @ApiProperty({ example: 'acme', description: 'the organization or personal namespace: the first path component' })
  namespace!: string;

  @ApiProperty({ description: 'markdown, as stored: render it sanitised' })
  description!: string;

  @ApiProperty({ description: 'whether anyone, even anonymous, may pull it: its override, else its namespace’s visibility' })
  public!: boolean;

  @ApiProperty({ type: Boolean, nullable: true, description: 'the repository’s own visibility; null follows its namespace' })
  publicOverride!: boolean | null;

  @ApiProperty({ example: 12 })
  tagCount!: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'the latest manifest push; null when it holds no manifest' })
  lastPushedAt!: string | null;

  @ApiPropertyOptional({ enum: PERMISSIONS, isArray: true, description: 'what the caller may do with this repository; given when one repository is asked for, so a portal shows only usable controls' })
  permissions?: Permission[];
}

export class RepositoryPageDto {
  @ApiProperty({ type: [RepositoryDto] })
  items!: RepositoryDto[];

  @ApiPropertyOptional({ description: 'pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

export class UpdateRepositoryDto {
  @ApiPropertyOptional({ description: `markdown, at most ${MAX_DESCRIPTION_BYTES} bytes in UTF-8, stored as given (the portal sanitises it when rendering). Needs developer or higher.` })
  @IsOptional()
  @IsString()
  @IsByteLength(0, MAX_DESCRIPTION_BYTES, { message: `must be at most ${MAX_DESCRIPTION_BYTES} bytes` })
  @Matches(NO_NUL, { message: 'must not contain NUL characters' })
  description?: string;

  @ApiPropertyOptional({
    type: Boolean,
    nullable: true,
    description: 'visibility override: true (public), false (private) or null (as its organization). Organization admins only; not for personal namespaces.',
  })
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsBoolean()
  public?: boolean | null;
}
