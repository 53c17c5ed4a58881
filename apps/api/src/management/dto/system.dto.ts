import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class SystemDto {
  @ApiProperty({ example: '0.1.0' })
  version!: string;

  @ApiProperty({ example: 'registry.example.com', description: 'host name for pull commands (host[:port])' })
  registryHost!: string;

  @ApiProperty({ description: 'whether anyone may create an account' })
  selfRegistration!: boolean;

  @ApiProperty({ example: { database: 'up', storage: 'up' } })
  health!: { database: 'up' | 'down'; storage: 'up' | 'down' };
}

export class SystemSettingsDto {
  @ApiProperty()
  @IsBoolean()
  selfRegistration!: boolean;
}
