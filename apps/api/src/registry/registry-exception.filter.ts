import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DatabaseUnavailableError, NamespaceNotFoundError } from '@wharf/db';
import { errorBody, OciError, OciErrorCode, OciErrors } from '@wharf/oci';
import { StorageUnavailableError } from '@wharf/storage';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AuthenticationError } from '../auth/credentials.service';
import { LoginThrottledError } from '../auth/login-throttle';
import { contentLength, DISCARD_BYTES, discardRest } from './discard-body';

/** Seconds a client should wait before retrying while a dependency is down. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The one place where /v2 and /token errors become HTTP: the OCI error body with the status
 * of its code and the headers of the error (a Bearer challenge, Retry-After). Dependency outages are 503 UNAVAILABLE with Retry-After; anything unexpected is
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
    if (reply.sent) return;
    // An answer before the end of a body it refused reaches a client behind a proxy that streams
    // bodies (nginx with proxy_request_buffering off) on a connection the proxy then closes,
    // while its answer said keep-alive: the client's next request there fails (EOF). So a body
    // of a known length within the discard bounds is read to its end first: only one nobody has
    // started reading (a body that failed midway, as on a full disk, is answered at once), and
    // not one refused for its length (413), whose client should not have to send it.
    const length = contentLength(request);
    if (request.raw.readableFlowing === null && !request.raw.complete && errors[0]!.status !== 413 && length !== undefined && Number.isInteger(length) && length <= DISCARD_BYTES) {
      void discardRest(request.raw).then((ended) => ended && this.answer(errors, request, reply));
      return;
    }
    this.answer(errors, request, reply);
  }

  private answer(errors: readonly OciError[], request: FastifyRequest, reply: FastifyReply): void {
    const status = errors[0]!.status;
    if (status === 503) reply.header('Retry-After', String(RETRY_AFTER_SECONDS));
    reply.headers(errors[0]!.headers);
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
    if (exception instanceof AuthenticationError) return [new OciError(OciErrorCode.Unauthorized, exception.message).withHeader('WWW-Authenticate', 'Basic realm="wharf"')];
    if (exception instanceof LoginThrottledError) {
      return [new OciError(OciErrorCode.TooManyRequests, exception.message).withHeader('Retry-After', String(exception.retryAfterSeconds))];
    }
    if (exception instanceof NamespaceNotFoundError) {
      return [new OciError(OciErrorCode.Denied, `${exception.message}: create the organization first`, { namespace: exception.namespace })];
    }
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
