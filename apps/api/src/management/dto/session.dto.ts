import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SignInDto {
  @ApiProperty({ example: 'alice' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class UserSummaryDto {
  @ApiProperty({ example: '12' })
  id!: string;

  @ApiProperty({ example: 'alice' })
  name!: string;

  @ApiProperty({ description: 'system administrator' })
  admin!: boolean;
}

export class SessionDto {
  @ApiProperty({ type: UserSummaryDto, nullable: true, description: 'null when nobody is signed in' })
  user!: UserSummaryDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'send it back as X-CSRF-Token on every state-changing call' })
  csrfToken!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expiresAt!: string | null;
}
