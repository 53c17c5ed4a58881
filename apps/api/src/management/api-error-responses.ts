import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ApiErrorDto } from './dto/common.dto';

const MEANING: Record<number, string> = {
  400: 'a field is invalid or unknown (the error names it)',
  401: 'not signed in',
  403: 'signed in, but the role (or the token scope) does not allow it',
  404: 'does not exist, or the caller may not see it',
  409: 'conflicts with what exists',
};

/** Documents the error answers of a handler, each in the one error shape. */
export const ApiErrors = (...statuses: Array<keyof typeof MEANING>) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, type: ApiErrorDto, description: MEANING[status] })));
