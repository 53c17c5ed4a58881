import type { Queryable, Sql } from '../sql';

export interface PageQuery {
  readonly limit?: number;
  readonly after?: string;
}

export interface ListedRepository {
  readonly name: string;
  readonly namespaceId: string;
  readonly public: boolean | null;
  readonly namespacePublic: boolean;
}

/** A repository was to be created in a namespace (organization or user) that does not exist. */
export class NamespaceNotFoundError extends Error {
  constructor(readonly namespace: string) {
    super(`namespace ${namespace} does not exist`);
    this.name = 'NamespaceNotFoundError';
  }
}

/** Registry repositories (image names). */
export class RepositoriesRepository {
  constructor(private readonly sql: Sql) {}

  async findId(name: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ id: string }>('SELECT id FROM repository WHERE name = $1', [name]);
    return rows[0]?.id;
  }

  /**
   * Finds or creates, safely under concurrency, inside the namespace named by the first path
   * component. Throws NamespaceNotFoundError when that namespace does not exist.
   */
  async ensure(name: string, db: Queryable = this.sql): Promise<string> {
    const namespace = name.split('/', 1)[0]!;
    const inserted = await db.query<{ id: string }>(
      'INSERT INTO repository (name, namespace_id) SELECT $1, id FROM namespace WHERE name = $2 ON CONFLICT (name) DO NOTHING RETURNING id',
      [name, namespace],
    );
    if (inserted.rows[0]) return inserted.rows[0].id;
    const { rows } = await db.query<{ id: string }>('SELECT id FROM repository WHERE name = $1', [name]);
    if (!rows[0]) throw new NamespaceNotFoundError(namespace);
    return rows[0].id;
  }

  /** Sets a repository's own visibility (null: as its namespace); only inside that namespace. */
  async setVisibility(namespaceId: string, name: string, visibility: boolean | null): Promise<boolean> {
    const { rowCount } = await this.sql.query('UPDATE repository SET public = $3 WHERE namespace_id = $1 AND name = $2', [namespaceId, name, visibility]);
    return rowCount > 0;
  }

  /** The visibility facts of a repository, when it exists. */
  async findVisibility(name: string): Promise<{ id: string; namespaceId: string; public: boolean | null } | undefined> {
    const { rows } = await this.sql.query<{ id: string; namespace_id: string; public: boolean | null }>('SELECT id, namespace_id, public FROM repository WHERE name = $1', [name]);
    return rows[0] && { id: rows[0].id, namespaceId: rows[0].namespace_id, public: rows[0].public };
  }

  /**
   * Repositories holding at least one manifest, in byte order, keyset-paged, with what an
   * access decision needs. `scope` narrows to what may be visible: public content and the
   * listed namespaces (undefined: everything, for system administrators).
   */
  async listWithContent(page: PageQuery, scope?: { readonly namespaceIds: readonly string[] }): Promise<ListedRepository[]> {
    const { rows } = await this.sql.query<{ name: string; namespace_id: string; public: boolean | null; namespace_public: boolean }>(
      `SELECT r.name, r.namespace_id, r.public, n.public AS namespace_public
         FROM repository r JOIN namespace n ON n.id = r.namespace_id
        WHERE ($1::text IS NULL OR r.name > $1)
          AND EXISTS (SELECT 1 FROM manifest m WHERE m.repository_id = r.id)
          AND ($3::boolean OR COALESCE(r.public, n.public) OR r.namespace_id = ANY($4::bigint[]))
        ORDER BY r.name
        LIMIT $2`,
      [page.after ?? null, page.limit ?? null, scope === undefined, scope?.namespaceIds ?? []],
    );
    return rows.map((r) => ({ name: r.name, namespaceId: r.namespace_id, public: r.public, namespacePublic: r.namespace_public }));
  }

  /** Sets a repository's description (markdown, stored as given). */
  async setDescription(id: string, description: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('UPDATE repository SET description = $2 WHERE id = $1', [id, description]);
    return rowCount > 0;
  }

  /**
   * Deletes a repository with its tags, manifests, blob links and upload sessions; the blobs
   * themselves stay (other repositories may link them). Returns the storage state of the
   * deleted upload sessions, for the caller to abort; undefined when nothing was deleted.
   */
  async delete(id: string): Promise<{ storageKey: string; driverState: Record<string, unknown> }[] | undefined> {
    return this.sql.transaction(async (tx) => {
      const uploads = await tx.query<{ storage_key: string; driver_state: Record<string, unknown> }>(
        'DELETE FROM upload WHERE repository_id = $1 RETURNING storage_key, driver_state',
        [id],
      );
      const { rowCount } = await tx.query('DELETE FROM repository WHERE id = $1', [id]);
      return rowCount > 0 ? uploads.rows.map((u) => ({ storageKey: u.storage_key, driverState: u.driver_state })) : undefined;
    });
  }
}
