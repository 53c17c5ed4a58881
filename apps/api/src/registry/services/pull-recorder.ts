import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { ManifestsRepository } from '@wharf/db';

const FLUSH_INTERVAL_MS = 5_000;

/**
 * Remembers which manifests were pulled and writes `last_pulled_at` in batches, so that a
 * pull costs no database write.
 */
@Injectable()
export class PullRecorder implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(PullRecorder.name);
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(ManifestsRepository) private readonly manifests: ManifestsRepository) {}

  record(manifestId: string): void {
    this.pending.set(manifestId, new Date());
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.manifests.markPulled(batch);
    } catch (error) {
      // Pull times are best effort; keep them for the next round.
      for (const [id, at] of batch) if (!this.pending.has(id)) this.pending.set(id, at);
      this.logger.warn(`could not record pulls: ${(error as Error).message}`);
    }
  }
}
