import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { startEmbeddedPostgres } from '@wharf/db';
import { Client } from 'pg';

import { processTreeCpuSeconds, track, untrack, type Managed } from '../support/processes';

/**
 * The PostgreSQL Wharf keeps its metadata in: the same embedded PostgreSQL `npm start` runs,
 * started once by the harness with one database per storage kind, so that Wharf can be
 * restarted (B6) without restarting its database and the ceilings can query it directly.
 */
export class Postgres implements Managed {
  readonly name = 'postgresql';

  private constructor(
    private readonly dir: string,
    private readonly baseUrl: string,
    private readonly stopDb: () => Promise<void>,
  ) {
    track(this);
  }

  static async start(dir: string): Promise<Postgres> {
    const db = await startEmbeddedPostgres(dir);
    return new Postgres(dir, db.url, db.stop);
  }

  /** The URL of database `name`. */
  url(name: string): string {
    const url = new URL(this.baseUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async createDatabase(name: string): Promise<string> {
    const client = new Client({ connectionString: this.baseUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      await client.query(`CREATE DATABASE ${name}`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  async stop(): Promise<void> {
    untrack(this);
    await this.stopDb();
  }

  /** The postmaster's process id, from its pid file; 0 when it is not running. */
  private get pid(): number {
    return Number(readFileSync(join(this.dir, 'cluster', 'postmaster.pid'), 'utf8').split('\n', 1)[0]) || 0;
  }

  /** CPU seconds the postmaster and its backends have used (see processTreeCpuSeconds). */
  cpuSeconds(): number {
    return processTreeCpuSeconds(this.pid);
  }

  /** Fast shutdown of the postmaster, from a synchronous exit handler. */
  killNow(): void {
    try {
      const pid = this.pid;
      if (pid > 0) process.kill(pid, 'SIGINT');
    } catch {
      // not running
    }
  }
}
