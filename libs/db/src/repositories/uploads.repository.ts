import type { DriverState } from '@wharf/storage';

import type { Queryable, Sql } from '../sql';

export interface UploadSession {
  readonly id: string;
  readonly repositoryId: string;
  readonly storageKey: string;
  readonly driverState: DriverState;
  readonly size: number;
  /** `algorithm:hex` of those `size` bytes, when the process that stored them hashed them all. */
  readonly storedDigest: string | undefined;
  /** The saved state of the SHA-256 of those `size` bytes, when it was hashed with one that can be saved. */
  readonly hashState: Uint8Array | undefined;
  /** The principal that opened the session (see the access module's principal keys). */
  readonly owner: string;
  readonly createdAt: Date;
}

/** A request claiming an upload: its id, how long the claim holds, and its process's backend (see `claim`). */
export interface Writer {
  readonly id: string;
  readonly leaseSeconds: number;
  readonly pid: number | undefined;
}

/** The hash of an upload's stored bytes: their digest, and the state to go on from when it can be saved. */
export interface StoredHash {
  readonly digest: string;
  readonly state?: Uint8Array;
}

interface UploadRow {
  id: string;
  repository_id: string;
  storage_key: string;
  driver_state: DriverState;
  size: string;
  stored_digest: string | null;
  hash_state: Buffer | null;
  owner: string;
  created_at: Date;
}

/**
 * A saved hash state is stored behind the upload size it covers (8 bytes): a process that
 * keeps no states (an older version, during a rolling upgrade) moves the size on and leaves
 * the state as it was, and such a state must not be taken for the upload's.
 */
const SIZE_BYTES = 8;

function packState(size: number, state: Uint8Array): Buffer {
  const packed = Buffer.alloc(SIZE_BYTES + state.byteLength);
  packed.writeBigUInt64BE(BigInt(size));
  packed.set(state, SIZE_BYTES);
  return packed;
}

function unpackState(packed: Buffer | null, size: string): Uint8Array | undefined {
  if (!packed || packed.byteLength <= SIZE_BYTES || packed.readBigUInt64BE(0) !== BigInt(size)) return undefined;
  return packed.subarray(SIZE_BYTES);
}

const COLUMNS = ['id', 'repository_id', 'storage_key', 'driver_state', 'size', 'stored_digest', 'hash_state', 'owner', 'created_at'] as const;
/** COLUMNS of the table aliased `u`. */
const U_COLUMNS = COLUMNS.map((column) => `u.${column}`).join(', ');

const toSession = (row: UploadRow): UploadSession => ({
  id: row.id,
  repositoryId: row.repository_id,
  storageKey: row.storage_key,
  driverState: row.driver_state,
  size: Number(row.size),
  storedDigest: row.stored_digest ?? undefined,
  hashState: unpackState(row.hash_state, row.size),
  owner: row.owner,
  createdAt: row.created_at,
});

export class UploadsRepository {
  constructor(private readonly sql: Sql) {}

  /** Stores a new session; with `writer`, claimed by that request from the start (see `claim`). */
  async create(session: Omit<UploadSession, 'size' | 'storedDigest' | 'hashState' | 'createdAt'>, writer?: Writer): Promise<void> {
    await this.sql.query(
      `INSERT INTO upload (id, repository_id, storage_key, driver_state, owner, writer, writer_until, writer_pid)
       VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::uuid IS NULL THEN NULL ELSE now() + make_interval(secs => $7) END, $8)`,
      [session.id, session.repositoryId, session.storageKey, JSON.stringify(session.driverState), session.owner, writer?.id ?? null, writer?.leaseSeconds ?? 0, writer?.pid ?? null],
    );
  }

  /** The session, only when it belongs to `repository`. */
  async find(repository: string, id: string): Promise<UploadSession | undefined> {
    const { rows } = await this.sql.query<UploadRow>(
      `SELECT ${U_COLUMNS}
         FROM upload u JOIN repository r ON r.id = u.repository_id
        WHERE u.id = $2 AND r.name = $1`,
      [repository, id],
    );
    return rows[0] && toSession(rows[0]);
  }

  /**
   * Makes `writer` the one request that may write to the session for `leaseSeconds`, when the
   * session is `repository`'s, `owner`'s, and nobody else's claim on it is current: one is
   * over once it lapsed, or once the backend it names is gone (its process died). The
   * session as it stands then; undefined when it is not to be had (see `find` for why).
   */
  async claim(repository: string, id: string, owner: string, writer: Writer): Promise<UploadSession | undefined> {
    const { rows } = await this.sql.query<UploadRow>(
      `UPDATE upload u SET writer = $4, writer_until = now() + make_interval(secs => $5), writer_pid = $6, updated_at = now()
         FROM repository r
        WHERE r.id = u.repository_id AND r.name = $1 AND u.id = $2 AND u.owner = $3
          AND (u.writer IS NULL OR u.writer_until < now()
               OR (u.writer_pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = u.writer_pid)))
        RETURNING ${U_COLUMNS}`,
      [repository, id, owner, writer.id, writer.leaseSeconds, writer.pid ?? null],
    );
    return rows[0] && toSession(rows[0]);
  }

  /** Extends `writer`'s claim; false when it no longer holds one. */
  async renew(id: string, writer: string, leaseSeconds: number): Promise<boolean> {
    const { rowCount } = await this.sql.query('UPDATE upload SET writer_until = now() + make_interval(secs => $3), updated_at = now() WHERE id = $1 AND writer = $2', [id, writer, leaseSeconds]);
    return rowCount > 0;
  }

  /** Ends `writer`'s claim, if it still holds one. */
  async release(id: string, writer: string): Promise<void> {
    await this.sql.query('UPDATE upload SET writer = NULL, writer_until = NULL, writer_pid = NULL WHERE id = $1 AND writer = $2', [id, writer]);
  }

  /**
   * Moves the offset forward, with the hash of the bytes up to it if known, unless somebody
   * else did first or `writer`'s claim is gone. `release` ends the claim in the same update.
   */
  async advance(id: string, writer: string, from: number, to: number, driverState: DriverState, hashed: StoredHash | undefined, release: boolean): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE upload SET size = $4, driver_state = $5, stored_digest = $6, hash_state = $7, updated_at = now(),
              writer = CASE WHEN $8 THEN NULL ELSE writer END, writer_until = CASE WHEN $8 THEN NULL ELSE writer_until END,
              writer_pid = CASE WHEN $8 THEN NULL ELSE writer_pid END
        WHERE id = $1 AND writer = $2 AND size = $3`,
      [id, writer, from, to, JSON.stringify(driverState), hashed?.digest ?? null, hashed?.state ? packState(to, hashed.state) : null, release],
    );
    return rowCount > 0;
  }

  /** Removes the session; with `writer`, only while that request's claim on it stands. */
  async delete(id: string, db: Queryable = this.sql, writer?: string): Promise<boolean> {
    const { rowCount } = writer === undefined ? await db.query('DELETE FROM upload WHERE id = $1', [id]) : await db.query('DELETE FROM upload WHERE id = $1 AND writer = $2', [id, writer]);
    return rowCount > 0;
  }

  /** Sessions idle since before `cutoff` and not being written to, oldest first. */
  async listIdle(cutoff: Date, limit: number): Promise<UploadSession[]> {
    const { rows } = await this.sql.query<UploadRow>(
      `SELECT ${COLUMNS.join(', ')} FROM upload
        WHERE updated_at < $1 AND (writer IS NULL OR writer_until < now())
        ORDER BY updated_at LIMIT $2`,
      [cutoff, limit],
    );
    return rows.map(toSession);
  }
}
