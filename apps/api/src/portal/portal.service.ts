import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';

/** apps/web, from apps/api/src/portal (tests) as from apps/api/dist/portal (the build). */
export const PORTAL_DIR = resolve(__dirname, '..', '..', '..', 'web');

/**
 * The paths Wharf itself answers: the registry, its token service, the management API and
 * its explorer, the signing keys, health. Everything else belongs to the portal.
 */
export function isServerPath(url: string): boolean {
  const end = url.indexOf('?');
  const path = end === -1 ? url : url.slice(0, end);
  return (
    path.startsWith('/v2') ||
    path.startsWith('/token') ||
    path === '/api' ||
    path.startsWith('/api/') ||
    path.startsWith('/.well-known/') ||
    path === '/healthz' ||
    path === '/readyz'
  );
}

/** The part of Next's custom-server API Wharf uses (typed here: Next's own types are for the portal). */
interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): (request: IncomingMessage, response: ServerResponse) => Promise<void>;
  close(): Promise<void>;
}
type CreateNextServer = (options: { dev: boolean; dir: string; hostname?: string; port?: number; quiet?: boolean; customServer?: boolean }) => NextServer;

/**
 * The command line the OS shows for this process (ps, top, pgrep -f), where it can be read:
 * NUL-separated arguments on Linux, undefined elsewhere.
 */
function readCommandLine(): string | undefined {
  try {
    return readFileSync('/proc/self/cmdline', 'latin1').replace(/\0+$/, '').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

/**
 * Runs `prepare` (which reads the portal's config) with Next's webpack hook off. Reading a
 * config otherwise loads Next's bundled webpack, for configs that require webpack (ours does
 * not): about 12 MiB of the process's baseline memory, kept for its whole life, that a
 * production server never uses (B12 in docs/benchmarks.md). Next's own render workers skip
 * the hook the same way; the variable is unset again once the config is read and cached.
 * Next also renames a render worker's process after the variable ("next-render-worker-…");
 * this process is the registry, so it gets its own command line back for ps and monitoring.
 */
async function withoutNextWebpack<T>(prepare: () => Promise<T>): Promise<T> {
  const variable = '__NEXT_PRIVATE_RENDER_WORKER';
  const before = process.env[variable];
  const commandLine = readCommandLine();
  process.env[variable] = before ?? 'wharf';
  try {
    return await prepare();
  } finally {
    if (before === undefined) delete process.env[variable];
    if (commandLine !== undefined && readCommandLine() !== commandLine) process.title = commandLine;
  }
}

/**
 * Serves the web portal on the registry's own origin: a production build of apps/web
 * (`npx nx run web:build`) runs in this process, and every request outside the server's own
 * paths (isServerPath) goes to Next's request handler. The check is one string comparison
 * per request, done before routing: registry traffic is untouched. Without a build, or with
 * WHARF_PORTAL=off, nothing is registered and those paths answer 404 as before. Next starts
 * on the first portal request, or at once when main.ts calls warmUp().
 */
@Injectable()
export class PortalService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Portal');
  private server: NextServer | undefined;
  private handler: Promise<ReturnType<NextServer['getRequestHandler']>> | undefined;
  private enabled = false;
  private warming = false;

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    if (!this.config.portal) return;
    if (!existsSync(join(PORTAL_DIR, '.next', 'BUILD_ID'))) {
      this.logger.log(`the web portal is not built (${join(PORTAL_DIR, '.next')} is missing): run \`npx nx run web:build\` to serve it`);
      return;
    }
    this.enabled = true;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onRequest', (request, reply, done) => {
      if (isServerPath(request.url)) return done();
      reply.hijack();
      this.load().then(
        (handle) => handle(request.raw, reply.raw),
        (error: Error) => {
          this.logger.error(`the web portal failed to start: ${error.message}`);
          if (!reply.raw.headersSent) reply.raw.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Retry-After': '5' });
          reply.raw.end('The web portal is unavailable.\n');
        },
      );
      done();
    });
  }

  /**
   * Starts Next now rather than at the first portal request. Loading it takes a CPU for a
   * few hundred milliseconds, so /readyz waits for it (`warmingUp`): the first requests a
   * load balancer sends would otherwise queue behind it. A portal that fails to load does
   * not hold the registry back; its pages answer 503.
   */
  async warmUp(): Promise<void> {
    if (!this.enabled) return;
    this.warming = true;
    try {
      await this.load().catch(() => undefined);
    } finally {
      this.warming = false;
    }
  }

  get warmingUp(): boolean {
    return this.warming;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.close().catch(() => undefined);
  }

  private load(): Promise<ReturnType<NextServer['getRequestHandler']>> {
    this.handler ??= (async () => {
      const createNextServer = createRequire(__filename)('next') as CreateNextServer;
      const server = createNextServer({ dev: false, dir: PORTAL_DIR, hostname: this.config.host, port: this.config.port, quiet: true, customServer: true });
      await withoutNextWebpack(() => server.prepare());
      this.server = server;
      this.logger.log(`serving the web portal from ${PORTAL_DIR}`);
      return server.getRequestHandler();
    })();
    this.handler.catch(() => {
      this.handler = undefined;
    });
    return this.handler;
  }
}
