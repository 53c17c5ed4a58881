import type { Sql } from '../sql';

import type { ListedRepository } from './repositories.repository';

/**
 * What the management API shows of repositories, tags and artifacts: keyset-paged listings
 * in any allow-listed order, artifact details and storage usage. Read-only; every sort and
 * filter is chosen here from fixed SQL fragments, never built from the caller's text.
 */

export type SortOrder = 'asc' | 'desc';
export type RepositorySort = 'name' | 'pushed';
export type TagSort = 'name' | 'pushed' | 'size';
export type ArtifactSort = 'pushed' | 'size';

/**
 * Keyset position: the sort key of the last row returned, then its unique tie-breaker (a
 * name or a digest). For a sort by name the key is the name itself and `key` is unused.
 * Times are `timeKey`s, sizes decimal strings.
 */
export interface Position {
  readonly key: string;
  readonly tiebreak: string;
}

export interface Listing<S extends string> {
  readonly sort: S;
  readonly order: SortOrder;
  /** Rows to return (the caller asks one more than a page to learn whether another follows). */
  readonly limit: number;
  readonly after?: Position;
  /** Substring filter (case-insensitive, literal: no wildcard). */
  readonly q?: string;
}

/**
 * Manifest content a listing returns so that platforms of an index can be read from it:
 * only for these media types and up to this size; other rows carry none.
 */
export interface ContentWanted {
  readonly mediaTypes: readonly string[];
  readonly maxSize: number;
}

/** A timestamp as an exact, sortable keyset value: ISO 8601 in UTC with microseconds. */
const TIME_KEY_SQL = (expression: string) => `to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const TIME_KEY = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}Z$/;

/** True for a value made by TIME_KEY_SQL, i.e. one PostgreSQL casts back to the same instant. */
export function isTimeKey(value: string): boolean {
  const match = TIME_KEY.exec(value);
  if (!match || match[1] === '0000') return false;
  const parsed = new Date(`${value.slice(0, 19)}Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 19) === value.slice(0, 19);
}

/** True for a non-negative bigint in decimal. */
export const isSizeKey = (value: string) => /^(0|[1-9]\d{0,17})$/.test(value);

interface KeyColumn {
  readonly expression: string;
  readonly type: 'timestamptz' | 'bigint' | 'text';
}

const TEXT = (expression: string): KeyColumn => ({ expression, type: 'text' });

/**
 * ORDER BY and the keyset condition for `columns`, all in one direction: the row comparison
 * `(a, b) > ($1, $2)` follows a btree index on (a, b) forwards or backwards.
 */
function keyset(columns: readonly KeyColumn[], order: SortOrder, after: readonly string[] | undefined, params: unknown[]): { where: string; orderBy: string } {
  const direction = order === 'asc' ? 'ASC' : 'DESC';
  const orderBy = columns.map((column) => `${column.expression} ${direction}`).join(', ');
  if (after === undefined) return { where: 'TRUE', orderBy };
  const values = columns.map((column, i) => {
    params.push(after[i]);
    return column.type === 'text' ? `$${params.length}::text COLLATE "C"` : `$${params.length}::${column.type}`;
  });
  return { where: `(${columns.map((c) => c.expression).join(', ')}) ${order === 'asc' ? '>' : '<'} (${values.join(', ')})`, orderBy };
}

const positionValues = (columns: readonly KeyColumn[], after: Position | undefined) => (after === undefined ? undefined : columns.length === 1 ? [after.tiebreak] : [after.key, after.tiebreak]);

function substring(column: string, q: string | undefined, params: unknown[]): string {
  if (q === undefined || q === '') return '';
  params.push(q);
  return `AND strpos(lower(${column}), lower($${params.length})) > 0`;
}

function contentColumn(wanted: ContentWanted, params: unknown[]): string {
  params.push(wanted.mediaTypes, wanted.maxSize);
  return `CASE WHEN m.media_type = ANY($${params.length - 1}::text[]) AND m.size <= $${params.length} THEN m.content END`;
}

export interface BrowsedRepository extends ListedRepository {
  readonly id: string;
  readonly namespace: string;
  readonly description: string;
  readonly tagCount: number;
  /** The latest manifest push; null for a repository holding none. */
  readonly lastPushedAt: Date | null;
  /** Its sort key for `pushed` (the creation time when nothing was pushed). */
  readonly pushedKey: string;
}

interface RepositoryRow {
  id: string;
  name: string;
  namespace_id: string;
  namespace: string;
  description: string;
  public: boolean | null;
  namespace_public: boolean;
  tag_count: string;
  last_pushed_at: Date | null;
  pushed_key: string;
}

const toRepository = (row: RepositoryRow): BrowsedRepository => ({
  id: row.id,
  name: row.name,
  namespaceId: row.namespace_id,
  namespace: row.namespace,
  description: row.description,
  public: row.public,
  namespacePublic: row.namespace_public,
  tagCount: Number(row.tag_count),
  lastPushedAt: row.last_pushed_at,
  pushedKey: row.pushed_key,
});

export interface RepositoryListing extends Listing<RepositorySort> {
  readonly namespace?: string;
  /** What may be visible: public content and these namespaces; undefined for everything. */
  readonly scope?: { readonly namespaceIds: readonly string[] };
}

const REPOSITORY_KEYS: Record<RepositorySort, readonly KeyColumn[]> = {
  name: [TEXT('x.name')],
  pushed: [{ expression: 'x.pushed_at', type: 'timestamptz' }, TEXT('x.name')],
};

export interface BrowsedTag {
  readonly name: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType: string | null;
  readonly totalSize: number;
  readonly pushedAt: Date;
  readonly pushedKey: string;
  readonly lastPulledAt: Date | null;
  /** The manifest bytes, when ContentWanted asked for them. */
  readonly content: Buffer | null;
}

interface TagRow {
  name: string;
  digest: string;
  media_type: string;
  artifact_type: string | null;
  total_size: string;
  pushed_at: Date;
  pushed_key: string;
  last_pulled_at: Date | null;
  content: Buffer | null;
}

const TAG_KEYS: Record<TagSort, readonly KeyColumn[]> = {
  name: [TEXT('t.name')],
  pushed: [{ expression: 't.pushed_at', type: 'timestamptz' }, TEXT('t.name')],
  size: [{ expression: 'm.total_size', type: 'bigint' }, TEXT('t.name')],
};

export interface BrowsedArtifact {
  readonly id: string;
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType: string | null;
  readonly size: number;
  readonly totalSize: number;
  readonly subjectDigest: string | null;
  readonly pushedAt: Date;
  readonly pushedKey: string;
  readonly lastPulledAt: Date | null;
  /** Its first tags in byte order (at most TAGS_PER_ARTIFACT). */
  readonly tags: string[];
  readonly tagCount: number;
  readonly content: Buffer | null;
}

interface ArtifactRow {
  id: string;
  digest: string;
  media_type: string;
  artifact_type: string | null;
  size: number;
  total_size: string;
  subject_digest: string | null;
  pushed_at: Date;
  pushed_key: string;
  last_pulled_at: Date | null;
  tags: string[];
  tag_count: string;
  content: Buffer | null;
}

const toArtifact = (row: ArtifactRow): BrowsedArtifact => ({
  id: row.id,
  digest: row.digest,
  mediaType: row.media_type,
  artifactType: row.artifact_type,
  size: row.size,
  totalSize: Number(row.total_size),
  subjectDigest: row.subject_digest,
  pushedAt: row.pushed_at,
  pushedKey: row.pushed_key,
  lastPulledAt: row.last_pulled_at,
  tags: row.tags,
  tagCount: Number(row.tag_count),
  content: row.content,
});

const ARTIFACT_KEYS: Record<ArtifactSort, readonly KeyColumn[]> = {
  pushed: [{ expression: 'm.pushed_at', type: 'timestamptz' }, TEXT('m.digest')],
  size: [{ expression: 'm.total_size', type: 'bigint' }, TEXT('m.digest')],
};

/** Tags listed with each artifact; tagCount tells how many it has in all. */
export const TAGS_PER_ARTIFACT = 100;

const ARTIFACT_COLUMNS = `m.id, m.digest, m.media_type, m.artifact_type, m.size, m.total_size, m.subject_digest, m.pushed_at,
       ${TIME_KEY_SQL('m.pushed_at')} AS pushed_key, m.last_pulled_at,
       ARRAY(SELECT t.name FROM tag t WHERE t.manifest_id = m.id ORDER BY t.name LIMIT ${TAGS_PER_ARTIFACT}) AS tags,
       (SELECT count(*) FROM tag t WHERE t.manifest_id = m.id) AS tag_count`;

/**
 * A top-level artifact, as Harbor lists them: one that carries a tag, or else is neither a
 * referrer of a manifest of the repository (a signature, an SBOM: shown under its subject)
 * nor a child of an index of the repository (shown under the index).
 */
const TOP_LEVEL = `(EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id)
   OR ((m.subject_digest IS NULL OR NOT EXISTS (SELECT 1 FROM manifest s WHERE s.repository_id = m.repository_id AND s.digest = m.subject_digest))
       AND NOT EXISTS (SELECT 1 FROM manifest_child mc JOIN manifest p ON p.id = mc.manifest_id
                        WHERE mc.child_digest = m.digest AND p.repository_id = m.repository_id)))`;

export interface ChildManifest {
  readonly digest: string;
  readonly mediaType: string;
  readonly artifactType: string | null;
  readonly totalSize: number;
}

export interface Usage {
  readonly repositories: number;
  /** Each repository counts each blob it links once; summed over the repositories. */
  readonly logicalBytes: number;
  /** Each distinct blob linked by any of the repositories counted once. */
  readonly deduplicatedBytes: number;
  readonly blobs: number;
  readonly manifestBytes: number;
  readonly manifests: number;
}

export class BrowseRepository {
  constructor(private readonly sql: Sql) {}

  private repositoriesQuery(where: string): string {
    return `SELECT r.id, r.name, r.namespace_id, n.name AS namespace, r.description, r.public, n.public AS namespace_public, r.created_at,
                   (SELECT max(m.pushed_at) FROM manifest m WHERE m.repository_id = r.id) AS last_pushed_at
              FROM repository r JOIN namespace n ON n.id = r.namespace_id
             WHERE ${where}`;
  }

  /**
   * The rows of `page` (a query over alias `x` choosing one page) with their tag counts,
   * counted for that page only, in `orderBy`.
   */
  private withCounts(page: string, orderBy = 'x.name'): string {
    return `WITH page AS (${page})
            SELECT x.id, x.name, x.namespace_id, x.namespace, x.description, x.public, x.namespace_public,
                   x.last_pushed_at, ${TIME_KEY_SQL('x.pushed_at')} AS pushed_key,
                   (SELECT count(*) FROM tag t WHERE t.repository_id = x.id) AS tag_count
              FROM page x
             ORDER BY ${orderBy}`;
  }

  /** One repository by name, whoever may see it (the caller decides). */
  async findRepository(name: string): Promise<BrowsedRepository | undefined> {
    const page = `SELECT y.*, COALESCE(y.last_pushed_at, y.created_at) AS pushed_at FROM (${this.repositoriesQuery('r.name = $1')}) y`;
    const { rows } = await this.sql.query<RepositoryRow>(this.withCounts(page), [name]);
    return rows[0] && toRepository(rows[0]);
  }

  /**
   * Repositories, every one that exists (emptied ones and ones holding only uploaded blobs
   * included), in the listing's order. The final visibility decision is the caller's.
   */
  async listRepositories(listing: RepositoryListing): Promise<BrowsedRepository[]> {
    const params: unknown[] = [listing.scope === undefined, listing.scope?.namespaceIds ?? []];
    let where = '($1::boolean OR COALESCE(r.public, n.public) OR r.namespace_id = ANY($2::bigint[]))';
    where += ` ${substring('r.name', listing.q, params)}`;
    if (listing.namespace !== undefined) {
      params.push(listing.namespace);
      where += ` AND n.name = $${params.length}`;
    }
    const columns = REPOSITORY_KEYS[listing.sort];
    const { where: after, orderBy } = keyset(columns, listing.order, positionValues(columns, listing.after), params);
    params.push(listing.limit);
    const page = `SELECT x.* FROM (SELECT y.*, COALESCE(y.last_pushed_at, y.created_at) AS pushed_at FROM (${this.repositoriesQuery(where)}) y) x
                   WHERE ${after} ORDER BY ${orderBy} LIMIT $${params.length}`;
    const { rows } = await this.sql.query<RepositoryRow>(this.withCounts(page, orderBy), params);
    return rows.map(toRepository);
  }

  /** Every repository of a namespace with what a visibility decision needs. */
  async repositoriesOf(namespaceId: string): Promise<(ListedRepository & { id: string })[]> {
    const { rows } = await this.sql.query<{ id: string; name: string; namespace_id: string; public: boolean | null; namespace_public: boolean }>(
      `SELECT r.id, r.name, r.namespace_id, r.public, n.public AS namespace_public
         FROM repository r JOIN namespace n ON n.id = r.namespace_id
        WHERE r.namespace_id = $1
        ORDER BY r.name`,
      [namespaceId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, namespaceId: r.namespace_id, public: r.public, namespacePublic: r.namespace_public }));
  }

  /** One row per tag, in the listing's order, keyset-paged over the tag indexes. */
  async listTags(repositoryId: string, listing: Listing<TagSort>, wanted: ContentWanted): Promise<BrowsedTag[]> {
    const params: unknown[] = [repositoryId];
    const content = contentColumn(wanted, params);
    const filter = substring('t.name', listing.q, params);
    const columns = TAG_KEYS[listing.sort];
    const { where, orderBy } = keyset(columns, listing.order, positionValues(columns, listing.after), params);
    params.push(listing.limit);
    const page = `WHERE t.repository_id = $1 ${filter} AND ${where} ORDER BY ${orderBy} LIMIT $${params.length}`;
    // A page ordered by tag columns alone is chosen on the tag index before the join, so it
    // costs one manifest lookup per row whatever the planner's statistics say (a freshly
    // filled repository is not analyzed yet, and the join-first plan sorts every tag).
    const from = columns.every((column) => column.expression.startsWith('t.'))
      ? `(SELECT t.* FROM tag t ${page}) t JOIN manifest m ON m.id = t.manifest_id ORDER BY ${orderBy}`
      : `tag t JOIN manifest m ON m.id = t.manifest_id ${page}`;
    const { rows } = await this.sql.query<TagRow>(
      `SELECT t.name, m.digest, m.media_type, m.artifact_type, m.total_size, t.pushed_at, ${TIME_KEY_SQL('t.pushed_at')} AS pushed_key,
              m.last_pulled_at, ${content} AS content
         FROM ${from}`,
      params,
    );
    return rows.map((row) => ({
      name: row.name,
      digest: row.digest,
      mediaType: row.media_type,
      artifactType: row.artifact_type,
      totalSize: Number(row.total_size),
      pushedAt: row.pushed_at,
      pushedKey: row.pushed_key,
      lastPulledAt: row.last_pulled_at,
      content: row.content,
    }));
  }

  /** Top-level artifacts (see TOP_LEVEL) in the listing's order; `q` matches their tags. */
  async listArtifacts(repositoryId: string, listing: Listing<ArtifactSort>, wanted: ContentWanted): Promise<BrowsedArtifact[]> {
    const params: unknown[] = [repositoryId];
    const content = contentColumn(wanted, params);
    let filter = '';
    if (listing.q !== undefined && listing.q !== '') {
      params.push(listing.q);
      filter = `AND EXISTS (SELECT 1 FROM tag t WHERE t.manifest_id = m.id AND strpos(lower(t.name), lower($${params.length})) > 0)`;
    }
    const columns = ARTIFACT_KEYS[listing.sort];
    const { where, orderBy } = keyset(columns, listing.order, positionValues(columns, listing.after), params);
    params.push(listing.limit);
    const { rows } = await this.sql.query<ArtifactRow>(
      `SELECT ${ARTIFACT_COLUMNS}, ${content} AS content
         FROM manifest m
        WHERE m.repository_id = $1 AND ${TOP_LEVEL} ${filter} AND ${where}
        ORDER BY ${orderBy}
        LIMIT $${params.length}`,
      params,
    );
    return rows.map(toArtifact);
  }

  /** One manifest of the repository with its content and every tag on it. */
  async findArtifact(repositoryId: string, digest: string): Promise<(BrowsedArtifact & { content: Buffer }) | undefined> {
    const { rows } = await this.sql.query<ArtifactRow>(`SELECT ${ARTIFACT_COLUMNS}, m.content FROM manifest m WHERE m.repository_id = $1 AND m.digest = $2`, [repositoryId, digest]);
    return rows[0] && (toArtifact(rows[0]) as BrowsedArtifact & { content: Buffer });
  }

  /** The manifests of the repository among `digests` (an index's children). */
  async manifestsAmong(repositoryId: string, digests: readonly string[]): Promise<Map<string, ChildManifest>> {
    if (digests.length === 0) return new Map();
    const { rows } = await this.sql.query<{ digest: string; media_type: string; artifact_type: string | null; total_size: string }>(
      'SELECT digest, media_type, artifact_type, total_size FROM manifest WHERE repository_id = $1 AND digest = ANY($2::text[])',
      [repositoryId, digests],
    );
    return new Map(rows.map((r) => [r.digest, { digest: r.digest, mediaType: r.media_type, artifactType: r.artifact_type, totalSize: Number(r.total_size) }]));
  }

  /** Whether an index of the repository lists the manifest `digest` as a child. */
  async isChildOfIndex(repositoryId: string, digest: string): Promise<boolean> {
    const { rows } = await this.sql.query(
      `SELECT 1 FROM manifest_child mc JOIN manifest p ON p.id = mc.manifest_id
        WHERE mc.child_digest = $2 AND p.repository_id = $1 AND p.digest <> $2 LIMIT 1`,
      [repositoryId, digest],
    );
    return rows.length > 0;
  }

  /** Storage used by a set of repositories (see Usage). */
  async usage(repositoryIds: readonly string[]): Promise<Usage> {
    const { rows } = await this.sql.query<{ logical: string; deduplicated: string; blobs: string; manifest_bytes: string; manifests: string }>(
      `SELECT (SELECT COALESCE(sum(b.size), 0) FROM repository_blob rb JOIN blob b ON b.digest = rb.digest WHERE rb.repository_id = ANY($1::bigint[])) AS logical,
              (SELECT COALESCE(sum(b.size), 0) FROM blob b
                WHERE b.digest IN (SELECT rb.digest FROM repository_blob rb WHERE rb.repository_id = ANY($1::bigint[]))) AS deduplicated,
              (SELECT count(DISTINCT rb.digest) FROM repository_blob rb WHERE rb.repository_id = ANY($1::bigint[])) AS blobs,
              (SELECT COALESCE(sum(m.size), 0) FROM manifest m WHERE m.repository_id = ANY($1::bigint[])) AS manifest_bytes,
              (SELECT count(*) FROM manifest m WHERE m.repository_id = ANY($1::bigint[])) AS manifests`,
      [repositoryIds],
    );
    const row = rows[0]!;
    return {
      repositories: repositoryIds.length,
      logicalBytes: Number(row.logical),
      deduplicatedBytes: Number(row.deduplicated),
      blobs: Number(row.blobs),
      manifestBytes: Number(row.manifest_bytes),
      manifests: Number(row.manifests),
    };
  }
}
