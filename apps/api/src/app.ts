import { METHODS } from 'node:http';

import fastifyCookie from '@fastify/cookie';
import { BadRequestException, Catch, PayloadTooLargeException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { errorBody, OciError, OciErrorCode } from '@wharf/oci';

import { AppModule } from './app.module';
import { closeIdleConnections } from './common/idle-connections';
import { ApiExceptionFilter } from './management/api-exception.filter';
import { serveOpenApi } from './management/openapi';
import { RegistryExceptionFilter } from './registry/registry-exception.filter';

/**
 * Errors raised before any controller runs (a management API body that is not JSON or too
 * large, an unknown route) answered in the format of the surface the URL belongs to.
 */
@Catch()
class SurfaceExceptionFilter implements ExceptionFilter {
  private readonly registry = new RegistryExceptionFilter();
  private readonly api = new ApiExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const url = host.switchToHttp().getRequest<FastifyRequest>().url ?? '';
    if (url === '/v2' || url.startsWith('/v2/') || url.startsWith('/v2?')) this.registry.catch(exception, host);
    else this.api.catch(exception, host);
  }
}
import type { WharfConfig } from './config/config';

/** Every /v2 response carries this, 401 and 404 included: `docker login` looks for it. */
function addRegistryHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/v2' || request.url.startsWith('/v2/') || request.url.startsWith('/v2?')) {
      reply.header('Docker-Distribution-API-Version', 'registry/2.0');
    }
    done();
  });
}

/**
 * Registry request bodies are never parsed by the framework: uploads are streamed to storage
 * and manifests are read as exact bytes, whatever the Content-Type (or none). Only JSON sent
 * to the management API is parsed, up to MAX_JSON_BODY.
 */
function keepBodiesAsStreams(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', (request, payload, done) => {
    if (!request.url.startsWith('/api/') || !/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return done(null);
    readJson(payload, MAX_JSON_BODY).then(
      (value) => done(null, value),
      (error: Error) => done(error),
    );
  });
}

/** Reads a JSON body of at most `limit` bytes; past it, stops reading and fails with 413. */
async function readJson(payload: NodeJS.ReadableStream, limit: number): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new PayloadTooLargeException(`request body is larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestException('request body is not valid JSON');
  }
}

/**
 * Fastify routes only the common methods by default; a WebDAV-style method (PROPFIND,
 * MKCOL...) would get the framework's 404 instead of an OCI error. Route every method Node
 * parses (CONNECT aside: Node hands it to 'connect' listeners), so /v2 answers 405 UNSUPPORTED.
 */
function routeEveryMethod(fastify: FastifyInstance): void {
  for (const method of METHODS) {
    if (method !== 'CONNECT' && !fastify.supportedMethods.includes(method)) fastify.addHttpMethod(method, { hasBody: true });
  }
}

/**
 * A path the framework cannot even decode (`%zz`) never reaches a controller; under /v2 answer
 * it in the protocol's own format.
 */
function badUrl(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const registry = request.url?.startsWith('/v2') ?? false;
  if (registry) reply.header('Docker-Distribution-API-Version', 'registry/2.0');
  const body = registry
    ? errorBody([new OciError(OciErrorCode.NameInvalid, 'malformed request path')])
    : { statusCode: 400, error: 'Bad Request', message: error.message };
  reply.code(400).header('Content-Type', 'application/json').send(Buffer.from(JSON.stringify(body)));
}

export async function createApp(config: WharfConfig, databaseUrl: string): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Tags are case-sensitive and paths are parsed by the registry itself.
    routerOptions: { caseSensitive: true, maxParamLength: 4096 },
    exposeHeadRoutes: false,
    frameworkErrors: badUrl,
    // Clients stream multi-gigabyte layers; never cut a request short by time. Only silence
    // on the client's side closes a connection (closeIdleConnections, below).
    requestTimeout: 0,
    connectionTimeout: 0,
    keepAliveTimeout: 65_000,
    bodyLimit: MAX_JSON_BODY,
    // Client addresses (failed-login limits) from X-Forwarded-For only behind a trusted proxy.
    trustProxy: config.auth.trustProxy,
    logger: false,
  });
  closeIdleConnections(adapter.getInstance().server, config.idleTimeoutMs);
  keepBodiesAsStreams(adapter.getInstance());
  routeEveryMethod(adapter.getInstance());
  addRegistryHeaders(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, databaseUrl), adapter, {
    bodyParser: false,
    logger: loggerLevels(config.logLevel),
  });
  app.useGlobalFilters(new SurfaceExceptionFilter());
  await app.register(fastifyCookie);
  serveOpenApi(app);
  // No app.enableShutdownHooks(): main.ts owns SIGTERM/SIGINT and calls app.close() (which
  // runs the shutdown hooks) before stopping the embedded PostgreSQL. Nest's own handler would
  // run the hooks a second time concurrently ("Called end on pool more than once"), then exit(1)
  // or re-raise the signal while main.ts is still stopping PostgreSQL.
  return app;
}

const MAX_JSON_BODY = 1024 * 1024;

function loggerLevels(level: WharfConfig['logLevel']): ('error' | 'warn' | 'log' | 'debug')[] {
  const order = ['error', 'warn', 'log', 'debug'] as const;
  return order.slice(0, order.indexOf(level) + 1);
}
