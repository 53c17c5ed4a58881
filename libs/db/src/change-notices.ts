import { Client } from 'pg';

/** The channel of the triggers of migration ManifestChangeNotices1764547200000 (payload: a repository id). */
export const MANIFEST_CHANGES_CHANNEL = 'wharf_manifest_changes';
/** The channel of the triggers of migration AccessChangeNotices1764720000000 (no payload). */
export const ACCESS_CHANGES_CHANNEL = 'wharf_access_changes';

const RECONNECT_DELAY_MS = 1_000;

export interface ChangeHandlers {
  /** A change was announced on the channel, with its payload ('' when it has none). */
  changed(payload: string): void;
  /** Notices may have been missed (not listening yet, or the connection was lost). */
  reset(): void;
}

/**
 * Follows the change notices of one channel on a connection of its own, reconnecting when
 * it is lost. `listening` is true only while notices are sure to arrive: a cache built on
 * them serves nothing otherwise.
 */
export class ChangeListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  listening = false;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly handlers: ChangeHandlers,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    this.drop();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    this.client = client;
    client.on('notification', (notice) => {
      if (notice.channel === this.channel) this.handlers.changed(notice.payload ?? '');
    });
    const lost = (error?: Error) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.drop();
      if (error) this.onError(error);
      void client.end().catch(() => undefined);
      if (!this.stopped) this.retry = setTimeout(() => void this.connect(), RECONNECT_DELAY_MS);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      if (this.client !== client) return;
      // Whatever changed while nobody listened is unknown: start from nothing.
      this.handlers.reset();
      this.listening = true;
    } catch (error) {
      lost(error as Error);
    }
  }

  private drop(): void {
    this.listening = false;
    this.handlers.reset();
  }
}
