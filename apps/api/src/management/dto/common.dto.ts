import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class ApiErrorDetailDto {
  @ApiProperty({ example: 'not_found', description: 'stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'organization not found' })
  message!: string;

  @ApiPropertyOptional({ example: 'name', description: 'the field at fault, for validation errors' })
  field?: string;
}

/** Every /api/v1 error. */
export class ApiErrorDto {
  @ApiProperty({ type: ApiErrorDetailDto })
  error!: ApiErrorDetailDto;
}
