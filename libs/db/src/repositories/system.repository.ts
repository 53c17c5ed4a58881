import type { Queryable, Sql } from '../sql';

export interface SigningKeyRow {
  readonly kid: string;
  readonly algorithm: string;
  readonly publicJwk: Record<string, unknown>;
  /** Sealed (encrypted) PKCS#8 private key. */
  readonly privateKey: string;
  readonly createdAt: Date;
  readonly retiredAt: Date | null;
}

/** Token signing keys. The newest live key signs; retired keys still verify for a while. */
export class SigningKeysRepository {
  constructor(private readonly sql: Sql) {}

  /** Keys not retired, or retired after `retiredSince`; newest first. */
  async listUsable(retiredSince: Date): Promise<SigningKeyRow[]> {
    const { rows } = await this.sql.query<{ kid: string; algorithm: string; public_jwk: Record<string, unknown>; private_key: string; created_at: Date; retired_at: Date | null }>(
      'SELECT kid, algorithm, public_jwk, private_key, created_at, retired_at FROM signing_key WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC, kid',
      [retiredSince],
    );
    return rows.map((r) => ({ kid: r.kid, algorithm: r.algorithm, publicJwk: r.public_jwk, privateKey: r.private_key, createdAt: r.created_at, retiredAt: r.retired_at }));
  }

  /** Adds a key and retires every older live one, in one transaction. */
  async rotateTo(key: Omit<SigningKeyRow, 'createdAt' | 'retiredAt'>): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query('UPDATE signing_key SET retired_at = now() WHERE retired_at IS NULL');
      await tx.query('INSERT INTO signing_key (kid, algorithm, public_jwk, private_key) VALUES ($1, $2, $3, $4)', [key.kid, key.algorithm, JSON.stringify(key.publicJwk), key.privateKey]);
    });
  }

  /** Adds a key only when no live key exists (several processes starting together). */
  async createFirst(key: Omit<SigningKeyRow, 'createdAt' | 'retiredAt'>): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      await tx.query('LOCK TABLE signing_key IN EXCLUSIVE MODE');
      const { rows } = await tx.query<{ n: string }>('SELECT count(*) AS n FROM signing_key WHERE retired_at IS NULL');
      if (Number(rows[0]!.n) > 0) return false;
      await tx.query('INSERT INTO signing_key (kid, algorithm, public_jwk, private_key) VALUES ($1, $2, $3, $4)', [key.kid, key.algorithm, JSON.stringify(key.publicJwk), key.privateKey]);
      return true;
    });
  }
}

/** Small system settings (self-registration...), as JSON values. */
export class SettingsRepository {
  constructor(private readonly sql: Sql) {}

  async get<T>(key: string): Promise<T | undefined> {
    const { rows } = await this.sql.query<{ value: T }>('SELECT value FROM setting WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async set(key: string, value: unknown, db: Queryable = this.sql): Promise<void> {
    await db.query('INSERT INTO setting (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, JSON.stringify(value)]);
  }
}

/**
 * Failed-login counters, shared by every API process: a fixed window per key (an account
 * or an address), blocked once the window holds too many failures.
 */
export class LoginFailuresRepository {
  constructor(private readonly sql: Sql) {}

  /** The latest block still running among `keys`, if any. */
  async blockedUntil(keys: readonly string[]): Promise<Date | undefined> {
    const { rows } = await this.sql.query<{ until: Date | null }>('SELECT max(blocked_until) AS until FROM login_failure WHERE key = ANY($1) AND blocked_until > now()', [keys]);
    return rows[0]?.until ?? undefined;
  }

  /**
   * In one round trip: the latest block still running among `keys`, and whether `account`
   * has failures on record (a success then clears them; otherwise it need not write).
   */
  async status(account: string, keys: readonly string[]): Promise<{ blockedUntil?: Date; accountFailed: boolean }> {
    const { rows } = await this.sql.query<{ until: Date | null; account_failed: boolean | null }>(
      'SELECT max(blocked_until) FILTER (WHERE blocked_until > now()) AS until, bool_or(key = $1) AS account_failed FROM login_failure WHERE key = ANY($2)',
      [account, keys],
    );
    const row = rows[0];
    return { ...(row?.until ? { blockedUntil: row.until } : {}), accountFailed: row?.account_failed === true };
  }

  /** Counts one failure; blocks the key for `blockMs` when it reaches `max` within `windowMs`. */
  async record(key: string, max: number, windowMs: number, blockMs: number): Promise<void> {
    await this.sql.query(
      `INSERT INTO login_failure AS f (key, failures, window_start) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN f.window_start < now() - make_interval(secs => $2 / 1000.0) THEN 1 ELSE f.failures + 1 END,
         window_start = CASE WHEN f.window_start < now() - make_interval(secs => $2 / 1000.0) THEN now() ELSE f.window_start END`,
      [key, windowMs],
    );
    await this.sql.query(`UPDATE login_failure SET blocked_until = now() + make_interval(secs => $3 / 1000.0) WHERE key = $1 AND failures >= $2`, [key, max, blockMs]);
  }

  async clear(key: string): Promise<void> {
    await this.sql.query('DELETE FROM login_failure WHERE key = $1', [key]);
  }
}
