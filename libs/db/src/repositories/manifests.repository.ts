import type { Queryable, Sql } from '../sql';

export interface StoredManifest {
  readonly id: string;
  readonly repositoryId: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  /** Absent when only the headers were asked for. */
  readonly content?: Buffer;
}

export interface NewManifest {
  readonly repositoryId: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType?: string;
  readonly content: Buffer;
  readonly subjectDigest?: string;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly blobDigests: readonly string[];
  readonly childDigests: readonly string[];
}

export interface ReferrerRow {
  readonly digest: string;
  readonly mediaType: string;
  readonly size: number;
  readonly artifactType?: string;
  readonly annotations?: Record<string, string>;
}

interface ManifestRow {
  id: string;
  repository_id: string;
  digest: string;
  media_type: string;
  size: number;
  content?: Buffer;
}

const toManifest = (row: ManifestRow): StoredManifest => ({
  id: row.id,
  repositoryId: row.repository_id,
  digest: row.digest,
  mediaType: row.media_type,
  size: row.size,
  ...(row.content ? { content: row.content } : {}),
});

/** Manifests, their references, and the subject index behind the referrers API. */
export class ManifestsRepository {
  constructor(private readonly sql: Sql) {}

  async findByTag(repository: string, tag: string, withContent: boolean): Promise<StoredManifest | undefined> {
    const { rows } = await this.sql.query<ManifestRow>(
      `SELECT m.id, m.repository_id, m.digest, m.media_type, m.size${withContent ? ', m.content' : ''}
         FROM repository r
         JOIN tag t ON t.repository_id = r.id
         JOIN manifest m ON m.id = t.manifest_id
        WHERE r.name = $1 AND t.name = $2`,
      [repository, tag],
    );
    return rows[0] && toManifest(rows[0]);
  }

  async findByDigest(repository: string, digest: string, withContent: boolean): Promise<StoredManifest | undefined> {
    const { rows } = await this.sql.query<ManifestRow>(
      `SELECT m.id, m.repository_id, m.digest, m.media_type, m.size${withContent ? ', m.content' : ''}
         FROM repository r
         JOIN manifest m ON m.repository_id = r.id
        WHERE r.name = $1 AND m.digest = $2`,
      [repository, digest],
    );
    return rows[0] && toManifest(rows[0]);
  }

  /** Which of `digests` are manifests of the repository. */
  async existingSizes(repositoryId: string, digests: readonly string[], db: Queryable): Promise<Map<string, number>> {
    if (digests.length === 0) return new Map();
    const { rows } = await db.query<{ digest: string; size: number }>(
      'SELECT digest, size FROM manifest WHERE repository_id = $1 AND digest = ANY($2::text[]) FOR SHARE',
      [repositoryId, digests],
    );
    return new Map(rows.map((r) => [r.digest, r.size]));
  }

  /**
   * Stores a manifest (or finds the identical one already stored) with its references, and
   * points `tags` at it, all in the caller's transaction.
   */
  async save(manifest: NewManifest, tags: readonly string[], db: Queryable): Promise<string> {
    // xmax is 0 only in a row version this statement inserted, not in one it updated.
    const { rows } = await db.query<{ id: string; inserted: boolean }>(
      `INSERT INTO manifest (repository_id, digest, media_type, artifact_type, content, size, subject_digest, annotations)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (repository_id, digest) DO UPDATE SET pushed_at = now()
       RETURNING id, xmax = 0 AS inserted`,
      [
        manifest.repositoryId,
        manifest.digest,
        manifest.mediaType,
        manifest.artifactType ?? null,
        manifest.content,
        manifest.content.length,
        manifest.subjectDigest ?? null,
        manifest.annotations ? JSON.stringify(manifest.annotations) : null,
      ],
    );
    const { id, inserted } = rows[0]!;
    // Pushed again: its references and total size were fixed by the push that stored it.
    if (!inserted) {
      await this.tagAll(manifest.repositoryId, tags, id, db);
      return id;
    }
    if (manifest.blobDigests.length > 0) {
      await db.query('INSERT INTO manifest_blob (manifest_id, digest) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [id, manifest.blobDigests]);
    }
    if (manifest.childDigests.length > 0) {
      await db.query('INSERT INTO manifest_child (manifest_id, child_digest) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [id, manifest.childDigests]);
    }
    // Fixed at push: the manifest, its blobs and its children (pushed before it, as required).
    await db.query(
      `UPDATE manifest m SET total_size = m.size
         + COALESCE((SELECT sum(b.size) FROM manifest_blob mb JOIN blob b ON b.digest = mb.digest WHERE mb.manifest_id = m.id), 0)
         + COALESCE((SELECT sum(c.total_size) FROM manifest_child mc JOIN manifest c ON c.repository_id = m.repository_id AND c.digest = mc.child_digest
                      WHERE mc.manifest_id = m.id), 0)
        WHERE m.id = $1`,
      [id],
    );
    await this.tagAll(manifest.repositoryId, tags, id, db);
    return id;
  }

  private async tagAll(repositoryId: string, tags: readonly string[], manifestId: string, db: Queryable): Promise<void> {
    if (tags.length === 0) return;
    await db.query(
      `INSERT INTO tag (repository_id, name, manifest_id) SELECT $1, unnest($2::text[]), $3
       ON CONFLICT (repository_id, name) DO UPDATE SET manifest_id = excluded.manifest_id, pushed_at = now()`,
      [repositoryId, tags, manifestId],
    );
  }

  /** Deletes a manifest with its tags and references. */
  async deleteByDigest(repository: string, digest: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `DELETE FROM manifest m USING repository r
        WHERE m.repository_id = r.id AND r.name = $1 AND m.digest = $2`,
      [repository, digest],
    );
    return rowCount > 0;
  }

  /**
   * Deletes a manifest with its tags and references, and its referrers in the repository with
   * theirs, down the chain (signatures of an SBOM of an image). A referrer that an index of the
   * repository lists stays, so that no index loses a child. Answers the digests deleted, the
   * manifest's first; none when the repository holds no such manifest.
   */
  async deleteWithReferrers(repository: string, digest: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ digest: string }>(
      `WITH RECURSIVE repo AS (SELECT id FROM repository WHERE name = $1),
       doomed (id, digest) AS (
         SELECT m.id, m.digest FROM manifest m JOIN repo ON m.repository_id = repo.id WHERE m.digest = $2
         UNION
         SELECT m.id, m.digest FROM doomed d JOIN manifest m ON m.subject_digest = d.digest JOIN repo ON m.repository_id = repo.id
          WHERE NOT EXISTS (SELECT 1 FROM manifest_child mc JOIN manifest p ON p.id = mc.manifest_id
                             WHERE p.repository_id = repo.id AND mc.child_digest = m.digest AND p.digest <> m.digest)
       )
       DELETE FROM manifest m USING doomed d WHERE m.id = d.id RETURNING m.digest`,
      [repository, digest],
    );
    const digests = rows.map((row) => row.digest);
    return digests.includes(digest) ? [digest, ...digests.filter((d) => d !== digest)] : [];
  }

  async referrers(repository: string, subjectDigest: string, artifactType?: string): Promise<ReferrerRow[]> {
    const { rows } = await this.sql.query<{ digest: string; media_type: string; size: number; artifact_type: string | null; annotations: Record<string, string> | null }>(
      `SELECT m.digest, m.media_type, m.size, m.artifact_type, m.annotations
         FROM repository r
         JOIN manifest m ON m.repository_id = r.id
        WHERE r.name = $1 AND m.subject_digest = $2
          AND ($3::text IS NULL OR m.artifact_type = $3)
        ORDER BY m.digest`,
      [repository, subjectDigest, artifactType ?? null],
    );
    return rows.map((r) => ({
      digest: r.digest,
      mediaType: r.media_type,
      size: r.size,
      ...(r.artifact_type !== null ? { artifactType: r.artifact_type } : {}),
      ...(r.annotations !== null ? { annotations: r.annotations } : {}),
    }));
  }

  /** Records pulls in one statement; called in batches, never per request. */
  async markPulled(pulls: ReadonlyMap<string, Date>): Promise<void> {
    if (pulls.size === 0) return;
    await this.sql.query(
      `UPDATE manifest m SET last_pulled_at = p.at
         FROM unnest($1::bigint[], $2::timestamptz[]) AS p(id, at)
        WHERE m.id = p.id AND (m.last_pulled_at IS NULL OR m.last_pulled_at < p.at)`,
      [[...pulls.keys()], [...pulls.values()]],
    );
  }
}
