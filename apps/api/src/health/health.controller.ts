import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import { Sql } from '@wharf/db';

/** Liveness and readiness for load balancers: answers 503 when PostgreSQL is unreachable. */
@Controller('healthz')
export class HealthController {
  constructor(@Inject(Sql) private readonly sql: Sql) {}

  @Get()
  async check(): Promise<{ status: 'ok' }> {
    try {
      await this.sql.query('SELECT 1');
    } catch {
      throw new HttpException({ status: 'unavailable', dependency: 'postgresql' }, 503);
    }
    return { status: 'ok' };
  }
}
