import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERMISSIONS, ROLES, type Permission, type Role } from '@wharf/authz';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto } from '../paging';
import { IfPresent } from './validators';

export const ORGANIZATION_SORTS = ['name'] as const;
export const SORT_ORDERS = ['asc', 'desc'] as const;

export class OrganizationListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only organizations whose name contains this text (literally)', example: 'acme', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  q?: string;

  @ApiPropertyOptional({ enum: ORGANIZATION_SORTS, default: 'name' })
  @IsOptional()
  @IsIn(ORGANIZATION_SORTS)
  sort?: (typeof ORGANIZATION_SORTS)[number];

  @ApiPropertyOptional({ enum: SORT_ORDERS, default: 'asc' })
  @IsOptional()
  @IsIn(SORT_ORDERS)
  order?: (typeof SORT_ORDERS)[number];
}

export class CreateOrganizationDto {
  @ApiProperty({ example: 'acme', description: 'lower-case letters, digits and separators (. _ __ -); users and organizations share one name space' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ default: false, description: 'public: anyone, even without signing in, may pull and browse' })
  @IfPresent()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({ example: 'Images of the ACME product line', maxLength: 4096 })
  @IfPresent()
  @IsString()
  @MaxLength(4096)
  description?: string;
}

export class UpdateOrganizationDto {
  @ApiPropertyOptional({ description: 'public: anyone, even without signing in, may pull and browse' })
  @IfPresent()
  @IsBoolean()
  public?: boolean;

  @ApiPropertyOptional({ maxLength: 4096 })
  @IfPresent()
  @IsString()
  @MaxLength(4096)
  description?: string;
}

export class DeleteOrganizationQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'delete it with every repository it holds' })
  @IsOptional()
  @IsIn(['true', 'false'])
  force?: 'true' | 'false';
}

export class OrganizationDto {
  @ApiProperty({ example: 'acme' })
  name!: string;

  @ApiProperty({ example: '' })
  description!: string;

  @ApiProperty({ description: 'anyone, even without signing in, may pull and browse' })
  public!: boolean;

  @ApiProperty({ enum: ROLES, nullable: true, description: 'the role the caller acts with here (admin for system administrators); null for none' })
  role!: Role | null;

  @ApiProperty({ example: 3, description: 'the repositories the caller may read (outsiders of a public organization: its public ones)' })
  repositoryCount!: number;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: 'what the caller may do here (repository permissions: on its private repositories), so a portal shows only usable controls' })
  permissions!: Permission[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class OrganizationPageDto {
  @ApiProperty({ type: [OrganizationDto] })
  items!: OrganizationDto[];

  @ApiPropertyOptional({ description: 'pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}
