import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DatabaseUnavailableError } from '@wharf/db';
import { errorBody, OciError, OciErrorCode, OciErrors } from '@wharf/oci';
import { StorageUnavailableError } from '@wharf/storage';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Seconds a client should wait before retrying while a dependency is down. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The one place where /v2 errors become HTTP: the OCI error body with the status of its
 * code. Dependency outages are 503 UNAVAILABLE with Retry-After; anything unexpected is
 * logged and answered with a fixed 500 that reveals nothing.
 */
@Catch()
export class RegistryExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Registry');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const errors = this.toOciErrors(exception, request);
    const status = errors[0]!.status;
    if (reply.sent) return;
    if (status === 503) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    reply.code(status);
    if (request.method === 'HEAD') {
      reply.header('Content-Length', '0').send();
      return;
    }
    reply.header('Content-Type', 'application/json').send(Buffer.from(JSON.stringify(errorBody(errors))));
  }

  private toOciErrors(exception: unknown, request: FastifyRequest): readonly OciError[] {
    if (exception instanceof OciErrors) return exception.errors;
    if (exception instanceof OciError) return [exception];
    if (exception instanceof DatabaseUnavailableError || exception instanceof StorageUnavailableError) {
      this.logger.warn(`${request.method} ${request.url}: ${exception.message}: ${String((exception.cause as Error)?.message ?? '')}`);
      return [new OciError(OciErrorCode.Unavailable, 'a storage dependency is unavailable, retry later')];
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      return [new OciError(OciErrorCode.Unsupported, exception.message, undefined, exception.getStatus())];
    }
    this.logger.error(`${request.method} ${request.url} failed`, (exception as Error)?.stack ?? String(exception));
    return [new OciError(OciErrorCode.Unknown, 'internal server error')];
  }
}
