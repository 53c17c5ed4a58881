import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DatabaseUnavailableError } from '@wharf/db';
import { StorageUnavailableError } from '@wharf/storage';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuthenticationError } from '../auth/credentials.service';
import { LoginThrottledError } from '../auth/login-throttle';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../identity/errors';
import { ApiError } from './api-error';

/**
 * The one place where /api/v1 errors become HTTP, in the API's own JSON shape. Domain errors
 * map to their status; anything unexpected is logged and answered with a 500 that reveals
 * nothing.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ManagementApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    if (reply.sent) return;
    const error = this.toApiError(exception, request);
    if (exception instanceof LoginThrottledError) reply.header('Retry-After', String(exception.retryAfterSeconds));
    if (error.status === 503) reply.header('Retry-After', '5');
    reply.code(error.status).header('Content-Type', 'application/json').header('Cache-Control', 'no-store').send(JSON.stringify(error.body()));
  }

  private toApiError(exception: unknown, request: FastifyRequest): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof ValidationError) return new ApiError(400, 'validation_failed', exception.message, exception.field);
    if (exception instanceof NotFoundError) return new ApiError(404, 'not_found', exception.message);
    if (exception instanceof ForbiddenError) return new ApiError(403, 'forbidden', exception.message);
    if (exception instanceof ConflictError) return new ApiError(409, 'conflict', exception.message);
    if (exception instanceof AuthenticationError) return new ApiError(401, 'unauthenticated', exception.message);
    if (exception instanceof LoginThrottledError) return new ApiError(429, 'too_many_requests', exception.message);
    if (exception instanceof DatabaseUnavailableError || exception instanceof StorageUnavailableError) {
      this.logger.warn(`${request.method} ${request.url}: ${exception.message}`);
      return new ApiError(503, 'unavailable', 'a storage dependency is unavailable, retry later');
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status < 500) return new ApiError(status, status === 404 ? 'not_found' : status === 413 ? 'payload_too_large' : 'bad_request', exception.message);
    }
    this.logger.error(`${request.method} ${request.url} failed`, (exception as Error)?.stack ?? String(exception));
    return new ApiError(500, 'internal', 'internal server error');
  }
}
