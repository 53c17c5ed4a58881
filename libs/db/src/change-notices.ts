import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

/** The channel of the triggers of migration ManifestChangeNotices1764547200000 (payload: a repository id). */
export const MANIFEST_CHANGES_CHANNEL = 'wharf_manifest_changes';
/** The channel of the triggers of migration AccessChangeNotices1764720000000 (no payload, or CREDENTIALS_CHANGED). */
export const ACCESS_CHANGES_CHANNEL = 'wharf_access_changes';
/** The payload of access notices that a password, user, robot or token changed (migration CredentialNoticePayload). */
export const CREDENTIALS_CHANGED = 'credentials';

const RECONNECT_DELAY_MS = 1_000;
/** How long `caughtUp` waits for its marker at most: past it, the change is left to arrive. */
const CATCH_UP_TIMEOUT_MS = 2_000;
/** Payloads of the markers `caughtUp` sends, which no trigger sends; every listener skips them. */
const MARKER_PREFIX = 'caught-up:';

/** The application_name of a listener's connection, by which pg_stat_activity shows it. */
export const listenerName = (channel: string) => `wharf:listen:${channel}`;

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
  /** Markers sent by `caughtUp`, and what to do when each comes back. */
  private readonly markers = new Map<string, () => void>();
  listening = false;
  /**
   * The PostgreSQL backend of the listening session while it is up: it lives exactly as long
   * as this connection (and so this process), which other processes can see in pg_stat_activity.
   */
  backendPid: number | undefined;

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

  /**
   * Resolves once every notice committed before the call has reached this listener: PostgreSQL
   * delivers notices in commit order, so a marker sent now comes back after them. Every
   * listening process was signalled at those commits too, so when a writer waits for this
   * before it answers, the client's next request finds the notice already on its way to
   * whichever process takes it (it arrives there unless that process's database session is
   * slower to pass it on than this one's). At once when not listening (nothing is served from
   * memory then); after CATCH_UP_TIMEOUT_MS at most.
   */
  async caughtUp(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening) return;
    const marker = `${MARKER_PREFIX}${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const back = new Promise<void>((resolve) => {
      this.markers.set(marker, resolve);
      timer = setTimeout(resolve, CATCH_UP_TIMEOUT_MS);
    });
    // Not awaited, so that the timeout bounds a connection that hangs too. A query that fails
    // means a lost connection: nothing is served from memory until it is back.
    client.query('SELECT pg_notify($1, $2)', [this.channel, marker]).catch(() => this.markers.get(marker)?.());
    try {
      await back;
    } finally {
      clearTimeout(timer);
      this.markers.delete(marker);
    }
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: listenerName(this.channel) });
    this.client = client;
    client.on('notification', (notice) => {
      if (notice.channel !== this.channel) return;
      const payload = notice.payload ?? '';
      if (payload.startsWith(MARKER_PREFIX)) this.markers.get(payload)?.();
      else this.handlers.changed(payload);
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
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      if (this.client !== client) return;
      this.backendPid = rows[0]?.pid;
      // Whatever changed while nobody listened is unknown: start from nothing.
      this.handlers.reset();
      this.listening = true;
    } catch (error) {
      lost(error as Error);
    }
  }

  private drop(): void {
    this.listening = false;
    this.backendPid = undefined;
    for (const markerBack of this.markers.values()) markerBack();
    this.handlers.reset();
  }
}
