import type { Pool, PoolClient, QueryResultRow } from 'pg';
import type { DataSource } from 'typeorm';

import { translateDbError } from './db-errors';

/** Anything that runs SQL: the pool, or one transaction's client. */
export interface Queryable {
  query<R extends QueryResultRow>(text: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
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
      const result = await this.pool.query<R>(text, params as unknown[]);
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
