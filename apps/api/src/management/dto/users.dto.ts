import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

import { PageQueryDto } from '../paging';

/** A user as system administrators see it. */
export class UserDto {
  @ApiProperty({ example: '12' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  name!: string;

  @ApiProperty({ type: String, nullable: true, example: 'alice@example.com' })
  email!: string | null;

  @ApiProperty({ description: 'system administrator' })
  admin!: boolean;

  @ApiProperty({ description: 'a disabled user cannot sign in, log in or use tokens' })
  disabled!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  lastLoginAt!: string | null;
}

export class UserPageDto {
  @ApiProperty({ type: [UserDto] })
  items!: UserDto[];

  @ApiPropertyOptional({ description: 'absent on the last page' })
  nextCursor?: string;
}

export class UserListQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'only users whose name or email contains this (case-insensitive)', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  q?: string;
}

/** Self-registration: exactly these fields; anything else (`admin`…) is refused. */
export class RegisterDto {
  @ApiProperty({ example: 'alice', maxLength: 255, description: 'lower-case letters, digits and separators (. _ __ -); also the personal namespace' })
  @IsString()
  @MaxLength(255)
  name!: string;

  @ApiProperty({ format: 'password', minLength: 8, maxLength: 1024 })
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password!: string;

  @ApiPropertyOptional({ example: 'alice@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

export class CreateUserDto extends RegisterDto {
  @ApiPropertyOptional({ default: false, description: 'system administrator' })
  @IsOptional()
  @IsBoolean()
  admin?: boolean;
}

export class UpdateUserDto {
  @ApiPropertyOptional({ description: 'disabling ends every session and refresh token of the user' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional({ description: 'grant or revoke system administration' })
  @IsOptional()
  @IsBoolean()
  admin?: boolean;

  @ApiPropertyOptional({ format: 'password', minLength: 8, maxLength: 1024, description: 'a new password; ends every session and refresh token of the user' })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(1024)
  password?: string;
}
