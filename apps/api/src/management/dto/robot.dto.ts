import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REPOSITORY_ACTIONS, type RepositoryAction } from '@wharf/authz';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';

import { IfPresent } from './validators';

export class RobotRuleDto {
  @ApiProperty({ example: 'app/*', description: 'a glob over repository paths inside the organization: `*` within one segment, `**` across' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  pattern!: string;

  @ApiProperty({ enum: REPOSITORY_ACTIONS, isArray: true, example: ['pull', 'push'], description: 'push and delete imply pull' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsIn(REPOSITORY_ACTIONS, { each: true })
  actions!: RepositoryAction[];
}

export class CreateRobotDto {
  @ApiProperty({ example: 'ci', description: 'lower-case letters, digits, . _ -, at most 64 characters' })
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  name!: string;

  @ApiPropertyOptional({ maxLength: 1024 })
  @IfPresent()
  @IsString()
  @MaxLength(1024)
  description?: string;

  @ApiProperty({ type: [RobotRuleDto], description: 'one to 100 permission lines; never more than the creator holds' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RobotRuleDto)
  rules!: RobotRuleDto[];

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'when it stops working; never when absent' })
  @IfPresent()
  @IsISO8601({ strict: true })
  expiresAt?: string;
}

export class UpdateRobotDto {
  @ApiPropertyOptional({ type: [RobotRuleDto], description: 'replaces every permission line' })
  @IfPresent()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => RobotRuleDto)
  rules?: RobotRuleDto[];

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'null: never expires; a past time expires it now' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;

  @ApiPropertyOptional({ description: 'a disabled robot gets no token, and its refresh tokens end' })
  @IfPresent()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ maxLength: 1024 })
  @IfPresent()
  @IsString()
  @MaxLength(1024)
  description?: string;
}

export class RobotDto {
  @ApiProperty({ example: '12' })
  id!: string;

  @ApiProperty({ example: 'ci' })
  name!: string;

  @ApiProperty({ example: 'robot$acme+ci', description: 'the user name for docker login' })
  username!: string;

  @ApiProperty({ example: '' })
  description!: string;

  @ApiProperty({ type: [RobotRuleDto] })
  rules!: RobotRuleDto[];

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: string | null;

  @ApiProperty({ description: 'whether expiresAt has passed' })
  expired!: boolean;

  @ApiProperty()
  disabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'last time it obtained a token' })
  lastUsedAt!: string | null;
}

export class RobotWithSecretDto extends RobotDto {
  @ApiProperty({ example: 'wharf_robot_…', description: 'shown this once: Wharf keeps only a hash' })
  secret!: string;
}

export class RobotListDto {
  @ApiProperty({ type: [RobotDto] })
  items!: RobotDto[];
}
