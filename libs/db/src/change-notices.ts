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
/**
 * Payloads of the markers `caughtUp` sends (`caught-up:<id>:<backend pid>`), which no trigger
 * sends: every other listener acknowledges them on the sender's own channel (ackChannelOf).
 */
const MARKER_PREFIX = 'caught-up:';

/** The channel on which a listener (by its backend's pid) hears that the others caught up. */
const ackChannelOf = (channel: string, pid: number) => `${channel}_ack_${pid}`;

/** A `caughtUp` call waiting: for its own marker, and for the acknowledgements of the other listeners. */
interface PendingMarker {
  back: boolean;
  acks: number;
  /** How many other listeners there were when the marker was sent (unknown until the answer). */
  expected: number;
  resolve(): void;
}

const settled = (pending: PendingMarker) => pending.back && pending.acks >= pending.expected;

/**
 * The application_name of a listener's connection, by which pg_stat_activity shows it (and
 * by which `caughtUp` counts the listeners that acknowledge markers: an earlier version's,
 * named without `:acks`, do not, and are not waited for).
 */
export const listenerName = (channel: string) => `wharf:listen:${channel}:acks`;

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
  /** The `caughtUp` calls waiting, by marker id. */
  private readonly pending = new Map<string, PendingMarker>();
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
   * Resolves once every notice committed before the call has reached this listener and every
   * other one on the channel (every API process): PostgreSQL delivers notices in commit order,
   * so a marker sent now reaches each listener after them, and each acknowledges it once it has
   * handled them. So when a writer waits for this before it answers, whichever process takes
   * the client's next request has the change already. At once when not listening (nothing is
   * served from memory then); after CATCH_UP_TIMEOUT_MS at most (a process whose connection
   * is being restored does not acknowledge, and serves nothing from memory meanwhile).
   */
  async caughtUp(): Promise<void> {
    const client = this.client;
    if (!client || !this.listening || this.backendPid === undefined) return;
    const id = randomUUID();
    let timer: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve) => {
      this.pending.set(id, { back: false, acks: 0, expected: Number.POSITIVE_INFINITY, resolve });
      timer = setTimeout(resolve, CATCH_UP_TIMEOUT_MS);
    });
    // Not awaited, so that the timeout bounds a connection that hangs too. A query that fails
    // means a lost connection: nothing is served from memory until it is back.
    client
      .query<{ others: number }>(
        `SELECT pg_notify($1, $2), (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND application_name = $3 AND pid <> pg_backend_pid()) AS others`,
        [this.channel, `${MARKER_PREFIX}${id}:${this.backendPid}`, listenerName(this.channel)],
      )
      .then(
        ({ rows }) => this.update(id, (pending) => (pending.expected = rows[0]?.others ?? 0)),
        () => this.pending.get(id)?.resolve(),
      );
    try {
      await done;
    } finally {
      clearTimeout(timer);
      this.pending.delete(id);
    }
  }

  private update(id: string, change: (pending: PendingMarker) => void): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    change(pending);
    if (settled(pending)) pending.resolve();
  }

  /** A marker on the channel: this listener's own come back, or another's to acknowledge. */
  private marker(client: Client, payload: string): void {
    const [id = '', pid] = payload.slice(MARKER_PREFIX.length).split(':');
    if (this.pending.has(id)) return this.update(id, (pending) => (pending.back = true));
    // Every notice before it has been handled (they arrive, and are handled, in order).
    if (pid && /^\d+$/.test(pid)) client.query('SELECT pg_notify($1, $2)', [ackChannelOf(this.channel, Number(pid)), id]).catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: listenerName(this.channel) });
    this.client = client;
    let ackChannel: string | undefined;
    client.on('notification', (notice) => {
      const payload = notice.payload ?? '';
      if (notice.channel === ackChannel) return this.update(payload, (pending) => pending.acks++);
      if (notice.channel !== this.channel) return;
      if (payload.startsWith(MARKER_PREFIX)) this.marker(client, payload);
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
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const pid = rows[0]!.pid;
      ackChannel = ackChannelOf(this.channel, pid);
      await client.query(`LISTEN ${ackChannel}`);
      await client.query(`LISTEN ${this.channel}`);
      if (this.client !== client) return;
      this.backendPid = pid;
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
    for (const pending of this.pending.values()) pending.resolve();
    this.handlers.reset();
  }
}
