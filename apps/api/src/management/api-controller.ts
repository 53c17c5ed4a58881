import { applyDecorators, Controller, UseFilters, UseGuards, UsePipes, ValidationPipe, type ValidationError as ClassValidatorError } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiExtraModels, ApiTags } from '@nestjs/swagger';

import { ApiAuthGuard } from './api-auth';
import { badRequest } from './api-error';
import { ApiExceptionFilter } from './api-exception.filter';
import { ApiErrorDto } from './dto/common.dto';

/** The first failing field, as a dotted path (`rules.0.pattern`). */
function firstProblem(errors: ClassValidatorError[], prefix = ''): { field: string; message: string } {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const message = error.constraints ? Object.values(error.constraints)[0] : undefined;
    if (message) return { field, message: message.replace(/^property \S+ /, '') };
    if (error.children && error.children.length > 0) return firstProblem(error.children, field);
  }
  return { field: prefix || 'body', message: 'is invalid' };
}

/**
 * Bodies and queries are validated against their DTO classes; unknown fields are refused
 * (no mass assignment), and the error names the field.
 */
export const apiValidationPipe = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  transform: true,
  transformOptions: { enableImplicitConversion: false },
  validationError: { target: false, value: false },
  exceptionFactory: (errors) => {
    const { field, message } = firstProblem(errors);
    return badRequest(field, message);
  },
});

/**
 * A controller of the management API under /api/v1: authenticated by ApiAuthGuard (each
 * handler states its audience with @Allow), validated, and answering errors in one shape.
 */
export function ApiController(path: string, tag: string): ClassDecorator {
  return applyDecorators(
    Controller(`api/v1/${path}`.replace(/\/$/, '')),
    ApiTags(tag),
    ApiCookieAuth('session'),
    ApiBearerAuth('token'),
    ApiExtraModels(ApiErrorDto),
    UseGuards(ApiAuthGuard),
    UseFilters(ApiExceptionFilter),
    UsePipes(apiValidationPipe),
  );
}
