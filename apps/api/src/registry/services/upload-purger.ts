import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { WHARF_CONFIG, type WharfConfig } from '../../config/config';
import { UploadsService } from './uploads.service';

/** Periodically removes upload sessions nobody has touched for the configured time. */
@Injectable()
export class UploadPurger implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(UploadPurger.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    @Inject(WHARF_CONFIG) private readonly config: WharfConfig,
    @Inject(UploadsService) private readonly uploads: UploadsService,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.purge(), this.config.uploadPurgeIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  purge(): Promise<void> {
    this.running ??= this.uploads
      .purgeIdle(new Date(Date.now() - this.config.uploadTtlMs))
      .then((count) => {
        if (count > 0) this.logger.log(`purged ${count} expired upload(s)`);
      })
      .catch((error: Error) => this.logger.warn(`upload purge failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
