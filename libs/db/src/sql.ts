import { createHash } from 'node:crypto';

import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

import { translateDbError } from './db-errors';

/** Anything that runs SQL: the pool, or one transaction's client. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

/**
 * Statements run as named prepared statements, so PostgreSQL parses and plans each one once
 * per connection rather than on every call (the manifest lookup spends most of its time in
 * planning). Only the first MAX_PREPARED distinct texts get a name: each connection keeps
 * what it prepared, and SQL built at run time must not grow that without bound.
 */
const MAX_PREPARED = 500;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_PREPARED) {
    name = `wharf_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Thin access to PostgreSQL for the repositories. It shares TypeORM's pool (TypeORM
 * owns the connection settings and migrations) but runs plain, parameterised SQL: the
 * registry's hot paths are single statements, and every error leaves here translated.
 */
export class Sql implements Queryable {
  constructor(private readonly pool: Pool) {}

  static fromDataSource(dataSource: DataSource): Sql {
    // The postgres driver's master pool; there are no replicas.
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    return new Sql(pool);
  }

  async query<R extends QueryResultRow>(text: string, params: readonly unknown[] = []): Promise<{ rows: R[]; rowCount: number }> {
    try {
      const name = statementName(text);
      const result = await this.pool.query<R>(name ? { name, text, values: params as unknown[] } : { text, values: params as unknown[] });
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      throw translateDbError(error);
    }
  }

  /** Runs `work` in one transaction; rolls back if it throws. */
  async transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw translateDbError(error);
    }
    const tx: Queryable = {
      async query<R extends QueryResultRow>(text: string, params: readonly unknown[] = []) {
        try {
          const result = await client.query<R>(text, params as unknown[]);
          return { rows: result.rows, rowCount: result.rowCount ?? 0 };
        } catch (error) {
          throw translateDbError(error);
        }
      },
    };
    let broken = false;
    // The pool stops listening for errors of a client it hands out: without a listener, a
    // connection lost mid-transaction (PostgreSQL restarting) is an unhandled 'error' event
    // that kills the process. The pending query rejects anyway; the client is discarded.
    const onError = () => {
      broken = true;
    };
    client.on('error', onError);
    try {
      await tx.query('BEGIN');
      const result = await work(tx);
      await tx.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }
}
