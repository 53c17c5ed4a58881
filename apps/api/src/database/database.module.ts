import { Global, Inject, Logger, Module, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import {
  BlobsRepository,
  BrowseRepository,
  createDataSource,
  LoginFailuresRepository,
  ManifestsRepository,
  MembershipsRepository,
  NamespacesRepository,
  PersonalTokensRepository,
  RefreshTokensRepository,
  RepositoriesRepository,
  RobotsRepository,
  SessionsRepository,
  SettingsRepository,
  SigningKeysRepository,
  Sql,
  TagsRepository,
  UploadsRepository,
  UsersRepository,
} from '@wharf/db';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { AccessFactsCache } from './access-facts-cache';
import { CHANGE_NOTICES_URL } from './change-notices-url';
import { ManifestCache } from './manifest-cache';

/** An arbitrary constant: every Wharf process takes this advisory lock to migrate. */
const MIGRATION_LOCK_ID = 0x77686172;

export const DATABASE_URL = Symbol('DATABASE_URL');

/**
 * Applies pending migrations while holding an advisory lock, so that several API processes
 * starting together migrate once.
 */
async function migrate(url: string, dataSource: DataSource): Promise<void> {
  const lock = new Client({ connectionString: url });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await lock.end();
  }
}

const repositories: Provider[] = [
  BlobsRepository,
  ManifestsRepository,
  RepositoriesRepository,
  TagsRepository,
  UploadsRepository,
  NamespacesRepository,
  UsersRepository,
  MembershipsRepository,
  RobotsRepository,
  PersonalTokensRepository,
  RefreshTokensRepository,
  SigningKeysRepository,
  SettingsRepository,
  LoginFailuresRepository,
  SessionsRepository,
  BrowseRepository,
].map((Repository) => ({
  provide: Repository,
  inject: [Sql],
  useFactory: (sql: Sql) => new Repository(sql),
}));

@Global()
@Module({
  providers: [
    {
      provide: DataSource,
      inject: [WHARF_CONFIG, DATABASE_URL],
      useFactory: async (config: WharfConfig, url: string) => {
        const dataSource = createDataSource({ url, poolSize: config.databasePoolSize });
        await dataSource.initialize();
        await migrate(url, dataSource);
        return dataSource;
      },
    },
    { provide: Sql, inject: [DataSource], useFactory: (dataSource: DataSource) => Sql.fromDataSource(dataSource) },
    ...repositories,
    { provide: CHANGE_NOTICES_URL, useExisting: DATABASE_URL },
    ManifestCache,
    AccessFactsCache,
  ],
  exports: [DataSource, Sql, ...repositories, ManifestCache, AccessFactsCache],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
