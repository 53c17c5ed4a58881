import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { TOKEN_SCOPES, type TokenScope } from '@wharf/authz';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { UserDto } from './users.dto';

export class CallerTokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: [...TOKEN_SCOPES] })
  scope!: TokenScope;

  @ApiProperty({ type: [String], nullable: true, description: 'only these namespaces, when set' })
  namespaces!: string[] | null;

  @ApiProperty({ type: [String], nullable: true, description: 'only repositories matching these globs, when set' })
  repositories!: string[] | null;
}

/** The signed-in person: the user as administrators see it, less what only they manage. */
export class MeDto extends OmitType(UserDto, ['disabled'] as const) {
  @ApiProperty({ enum: ['session', 'token'], description: 'how this request was authenticated' })
  via!: 'session' | 'token';

  @ApiProperty({ type: CallerTokenDto, nullable: true, description: 'the personal access token of this request; null in a session' })
  token!: CallerTokenDto | null;
}

export class ChangePasswordDto {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  currentPassword!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 1024 })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  newPassword!: string;
}

export class PersonalTokenDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'laptop' })
  name!: string;

  @ApiProperty({ enum: [...TOKEN_SCOPES] })
  scope!: string;

  @ApiProperty({ type: [String], nullable: true, description: 'only these namespaces, when set' })
  namespaces!: string[] | null;

  @ApiProperty({ type: [String], nullable: true, description: 'only repositories matching these globs, when set' })
  repositories!: string[] | null;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'null: never expires' })
  expiresAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'last use, to the minute' })
  lastUsedAt!: string | null;
}

export class PersonalTokenListDto {
  @ApiProperty({ type: [PersonalTokenDto] })
  items!: PersonalTokenDto[];
}

export class CreatedPersonalTokenDto extends PersonalTokenDto {
  @ApiProperty({ example: 'wharf_pat_0123456789abcdef0123456789abcdef_…', description: 'shown this once: use it as the password of docker login, or as a Bearer token' })
  secret!: string;
}

export class CreatePersonalTokenDto {
  @ApiProperty({ example: 'laptop', maxLength: 100, description: 'letters, digits, spaces, . _ -' })
  @IsString()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: [...TOKEN_SCOPES] })
  @IsIn(TOKEN_SCOPES)
  scope!: TokenScope;

  @ApiPropertyOptional({ type: [String], example: ['acme'], description: 'limit the token to these namespaces' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  namespaces?: string[];

  @ApiPropertyOptional({ type: [String], example: ['acme/app/*'], description: 'limit the token to repositories matching these globs' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  repositories?: string[];

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'absent or null: never expires' })
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string | null;
}
