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

  async create(session: Omit<UploadSession, 'size' | 'storedDigest' | 'hashState' | 'createdAt'>): Promise<void> {
    await this.sql.query('INSERT INTO upload (id, repository_id, storage_key, driver_state, owner) VALUES ($1, $2, $3, $4, $5)', [
      session.id,
      session.repositoryId,
      session.storageKey,
      JSON.stringify(session.driverState),
      session.owner,
    ]);
  }

  /** The session, only when it belongs to `repository`. */
  async find(repository: string, id: string): Promise<UploadSession | undefined> {
    const { rows } = await this.sql.query<UploadRow>(
      `SELECT u.id, u.repository_id, u.storage_key, u.driver_state, u.size, u.stored_digest, u.hash_state, u.owner, u.created_at
         FROM upload u JOIN repository r ON r.id = u.repository_id
        WHERE u.id = $2 AND r.name = $1`,
      [repository, id],
    );
    return rows[0] && toSession(rows[0]);
  }

  /** Moves the offset forward, with the hash of the bytes up to it if known, unless somebody else did first. */
  async advance(id: string, from: number, to: number, driverState: DriverState, hashed?: StoredHash): Promise<boolean> {
    const { rowCount } = await this.sql.query('UPDATE upload SET size = $3, driver_state = $4, stored_digest = $5, hash_state = $6, updated_at = now() WHERE id = $1 AND size = $2', [
      id,
      from,
      to,
      JSON.stringify(driverState),
      hashed?.digest ?? null,
      hashed?.state ? packState(to, hashed.state) : null,
    ]);
    return rowCount > 0;
  }

  async delete(id: string, db: Queryable = this.sql): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM upload WHERE id = $1', [id]);
    return rowCount > 0;
  }

  /** Sessions idle since before `cutoff`, oldest first. */
  async listIdle(cutoff: Date, limit: number): Promise<UploadSession[]> {
    const { rows } = await this.sql.query<UploadRow>(
      'SELECT id, repository_id, storage_key, driver_state, size, stored_digest, hash_state, owner, created_at FROM upload WHERE updated_at < $1 ORDER BY updated_at LIMIT $2',
      [cutoff, limit],
    );
    return rows.map(toSession);
  }
}
