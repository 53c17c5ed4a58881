import { Body, Get, HttpCode, Inject, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Principal } from '@wharf/authz';
import { Sql } from '@wharf/db';
import type { BlobStorage } from '@wharf/storage';

import { publicBaseUrl } from '../auth/public-url';
import { WHARF_CONFIG, type WharfConfig } from '../config/config';
import { AccountsService } from '../identity/accounts.service';
import { BLOB_STORAGE } from '../storage/storage.module';
import { Allow, Caller, type ApiRequest } from './api-auth';
import { ApiController } from './api-controller';
import { ApiErrorDto } from './dto/common.dto';
import { SystemDto, SystemSettingsDto } from './dto/system.dto';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const VERSION = (require('../../package.json') as { version: string }).version;

/** What a portal needs to know about this Wharf, and the system settings. */
@ApiController('system', 'system')
export class SystemController {
  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(AccountsService) private readonly accounts: AccountsService,
    @Inject(Sql) private readonly sql: Sql,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
  ) {}

  @Get()
  @Allow('anyone')
  @ApiOperation({ summary: 'Version, health, the registry host for pull commands, whether self-registration is on' })
  @ApiOkResponse({ type: SystemDto })
  async info(@Req() request: ApiRequest): Promise<SystemDto> {
    const [database, storage] = await Promise.allSettled([this.sql.query('SELECT 1'), this.storage.ping()]);
    return {
      version: VERSION,
      registryHost: new URL(publicBaseUrl(this.config, request)).host,
      selfRegistration: database.status === 'fulfilled' ? await this.accounts.selfRegistrationEnabled() : false,
      health: { database: database.status === 'fulfilled' ? 'up' : 'down', storage: storage.status === 'fulfilled' ? 'up' : 'down' },
    };
  }

  @Put('settings')
  @Allow('signed-in')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change system settings (system administrators)' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 403, type: ApiErrorDto })
  async updateSettings(@Caller() caller: Principal, @Body() body: SystemSettingsDto): Promise<void> {
    await this.accounts.setSelfRegistration(caller, body.selfRegistration);
  }
}
