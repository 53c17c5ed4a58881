import { Module, type DynamicModule } from '@nestjs/common';

import { WHARF_CONFIG, type WharfConfig } from './config/config';
import { DATABASE_URL, DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { IdentityModule } from './identity/identity.module';
import { ManagementModule } from './management/management.module';
import { PortalModule } from './portal/portal.module';
import { RegistryModule } from './registry/registry.module';
import { StorageModule } from './storage/storage.module';

@Module({})
export class AppModule {
  static forRoot(config: WharfConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [DatabaseModule, StorageModule, IdentityModule, RegistryModule, ManagementModule, PortalModule],
      controllers: [HealthController],
      providers: [
        { provide: WHARF_CONFIG, useValue: config },
        { provide: DATABASE_URL, useValue: databaseUrl },
      ],
      exports: [WHARF_CONFIG, DATABASE_URL],
    };
  }
}
