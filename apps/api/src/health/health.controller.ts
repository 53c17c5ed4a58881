import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Sql } from '@wharf/db';
import type { BlobStorage } from '@wharf/storage';
import type { FastifyReply } from 'fastify';

import { PortalService } from '../portal/portal.service';
import { BLOB_STORAGE } from '../storage/storage.module';

/**
 * Health for load balancers and orchestrators. Both endpoints are public and reveal nothing
 * but the names of failing dependencies.
 * - /healthz (liveness): the process serves requests.
 * - /readyz (readiness): PostgreSQL and blob storage are reachable and the portal has
 *   finished loading at start; 503 otherwise (status `starting` while only the portal is).
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(Sql) private readonly sql: Sql,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    @Inject(PortalService) private readonly portal: PortalService,
  ) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res() reply: FastifyReply): Promise<void> {
    const [database, storage] = await Promise.allSettled([this.sql.query('SELECT 1'), this.storage.ping()]);
    const unreachable = [...(database.status === 'rejected' ? ['postgresql'] : []), ...(storage.status === 'rejected' ? [`storage:${this.storage.kind}`] : [])];
    if (unreachable.length > 0) reply.code(503).send({ status: 'unavailable', failing: unreachable });
    else if (this.portal.warmingUp) reply.code(503).send({ status: 'starting', failing: ['portal'] });
    else reply.code(200).send({ status: 'ok' });
  }
}
