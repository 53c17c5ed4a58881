import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PERMISSIONS, ROLES, type Permission, type Role } from '@wharf/authz';
import { IsIn } from 'class-validator';

export class SetMemberDto {
  @ApiProperty({ enum: ROLES, example: 'developer', description: 'see GET /api/v1/roles' })
  @IsIn(ROLES)
  role!: Role;
}

export class MemberDto {
  @ApiProperty({ example: 'alice', description: 'user name' })
  name!: string;

  @ApiProperty({ enum: ROLES, description: 'the role held directly; teams may give a higher one' })
  role!: Role;
}

export class MemberPageDto {
  @ApiProperty({ type: [MemberDto] })
  items!: MemberDto[];

  @ApiPropertyOptional({ description: 'pass as `cursor` for the next page; absent on the last page' })
  nextCursor?: string;
}

export class RoleDto {
  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty({ example: 'Developer' })
  title!: string;

  @ApiProperty({ example: 'Pulls and pushes; edits repository descriptions.' })
  description!: string;

  @ApiProperty({ enum: PERMISSIONS, isArray: true, description: 'every permission the role holds in its organization' })
  permissions!: Permission[];
}

export class RoleListDto {
  @ApiProperty({ type: [RoleDto], description: 'weakest first' })
  items!: RoleDto[];
}
