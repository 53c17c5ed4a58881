import type { Queryable, Sql } from '../sql';

export interface StoredBlob {
  readonly digest: string;
  readonly size: number;
  readonly storageKey: string;
}

interface BlobRow {
  digest: string;
  size: string;
  storage_key: string;
}

const toBlob = (row: BlobRow): StoredBlob => ({ digest: row.digest, size: Number(row.size), storageKey: row.storage_key });

/** Deduplicated blobs and the links that let a repository see them. */
export class BlobsRepository {
  constructor(private readonly sql: Sql) {}

  /** The blob, if `repository` links it. */
  async findLinked(repository: string, digest: string): Promise<StoredBlob | undefined> {
    const { rows } = await this.sql.query<BlobRow>(
      `SELECT b.digest, b.size, b.storage_key
         FROM repository r
         JOIN repository_blob rb ON rb.repository_id = r.id
         JOIN blob b ON b.digest = rb.digest
        WHERE r.name = $1 AND rb.digest = $2`,
      [repository, digest],
    );
    return rows[0] && toBlob(rows[0]);
  }

  async find(digest: string, db: Queryable = this.sql): Promise<StoredBlob | undefined> {
    const { rows } = await db.query<BlobRow>('SELECT digest, size, storage_key FROM blob WHERE digest = $1', [digest]);
    return rows[0] && toBlob(rows[0]);
  }

  /**
   * Records a blob unless one with that digest exists already. Returns the row that holds
   * the digest afterwards: when it is not ours, our object is a duplicate to delete.
   */
  async insertOrGet(blob: StoredBlob, db: Queryable): Promise<StoredBlob> {
    const inserted = await db.query<BlobRow>(
      `INSERT INTO blob (digest, size, storage_key) VALUES ($1, $2, $3)
       ON CONFLICT (digest) DO NOTHING RETURNING digest, size, storage_key`,
      [blob.digest, blob.size, blob.storageKey],
    );
    if (inserted.rows[0]) return toBlob(inserted.rows[0]);
    const existing = await db.query<BlobRow>('SELECT digest, size, storage_key FROM blob WHERE digest = $1 FOR SHARE', [blob.digest]);
    return toBlob(existing.rows[0]!);
  }

  async link(repositoryId: string, digest: string, db: Queryable = this.sql): Promise<void> {
    await db.query('INSERT INTO repository_blob (repository_id, digest) VALUES ($1, $2) ON CONFLICT DO NOTHING', [repositoryId, digest]);
  }

  /** Links `digest` into `repositoryId` if the repository `from` links it. Returns the blob when mounted. */
  async mount(repositoryId: string, from: string, digest: string): Promise<StoredBlob | undefined> {
    const { rows } = await this.sql.query<BlobRow>(
      `WITH source AS (
         SELECT b.digest, b.size, b.storage_key
           FROM repository r
           JOIN repository_blob rb ON rb.repository_id = r.id
           JOIN blob b ON b.digest = rb.digest
          WHERE r.name = $2 AND rb.digest = $3
       ), linked AS (
         INSERT INTO repository_blob (repository_id, digest)
         SELECT $1, digest FROM source
         ON CONFLICT DO NOTHING
       )
       SELECT digest, size, storage_key FROM source`,
      [repositoryId, from, digest],
    );
    return rows[0] && toBlob(rows[0]);
  }

  /** Removes a repository's link; the bytes stay for other repositories (and a future collector). */
  async unlink(repository: string, digest: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `DELETE FROM repository_blob rb USING repository r
        WHERE rb.repository_id = r.id AND r.name = $1 AND rb.digest = $2`,
      [repository, digest],
    );
    return rowCount > 0;
  }

  /** For each digest, the size of the blob if `repositoryId` links it. */
  async linkedSizes(repositoryId: string, digests: readonly string[], db: Queryable): Promise<Map<string, number>> {
    if (digests.length === 0) return new Map();
    const { rows } = await db.query<{ digest: string; size: string }>(
      `SELECT b.digest, b.size
         FROM repository_blob rb
         JOIN blob b ON b.digest = rb.digest
        WHERE rb.repository_id = $1 AND rb.digest = ANY($2::text[])
        FOR SHARE OF rb`,
      [repositoryId, digests],
    );
    return new Map(rows.map((r) => [r.digest, Number(r.size)]));
  }
}
