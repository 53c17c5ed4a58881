import { DataSource } from 'typeorm';

import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export interface DatabaseOptions {
  readonly url: string;
  readonly poolSize?: number;
}

/**
 * The one DataSource definition: explicit migrations, never `synchronize`. The API applies
 * pending migrations at start (`runMigrations`).
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'wharf_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'migration'],
    extra: {
      max: options.poolSize ?? 20,
      connectionTimeoutMillis: 5_000,
      // Keep a broken server from holding requests for long; the API answers 503 instead.
      query_timeout: 60_000,
    },
  });
}
