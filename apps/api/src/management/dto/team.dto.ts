import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role } from '@wharf/authz';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';

import { MemberDto } from './member.dto';
import { IfPresent } from './validators';

export class CreateTeamDto {
  @ApiProperty({ example: 'Release engineering', description: 'letters, digits, spaces, . _ -, at most 100 characters' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: ROLES, description: "every member of the team holds at least this role" })
  @IsIn(ROLES)
  role!: Role;
}

export class UpdateTeamDto {
  @ApiPropertyOptional({ example: 'Release engineering' })
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ enum: ROLES })
  @IfPresent()
  @IsIn(ROLES)
  role?: Role;
}

export class TeamDto {
  @ApiProperty({ example: '7' })
  id!: string;

  @ApiProperty({ example: 'Release engineering' })
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export class TeamListDto {
  @ApiProperty({ type: [TeamDto] })
  items!: TeamDto[];
}

export class TeamMemberListDto {
  @ApiProperty({ type: [MemberDto], description: "each with the team's role" })
  items!: MemberDto[];
}
