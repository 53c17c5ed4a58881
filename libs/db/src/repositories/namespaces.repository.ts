import type { Queryable, Sql } from '../sql';

export type NamespaceKind = 'user' | 'organization';

export interface NamespaceRow {
  readonly id: string;
  readonly name: string;
  readonly kind: NamespaceKind;
  readonly public: boolean;
  readonly description: string;
  /** The user of a personal namespace. */
  readonly ownerUserId?: string;
  readonly createdAt: Date;
}

interface Row {
  id: string;
  name: string;
  kind: NamespaceKind;
  public: boolean;
  description: string;
  owner_user_id: string | null;
  created_at: Date;
}

const COLUMNS = `n.id, n.name, n.kind, n.public, n.description, n.created_at, u.id AS owner_user_id`;
const FROM = `namespace n LEFT JOIN app_user u ON u.namespace_id = n.id`;

const toNamespace = (row: Row): NamespaceRow => ({
  id: row.id,
  name: row.name,
  kind: row.kind,
  public: row.public,
  description: row.description,
  ...(row.owner_user_id !== null ? { ownerUserId: row.owner_user_id } : {}),
  createdAt: row.created_at,
});

export interface RepositoryAccessFacts {
  readonly namespace: NamespaceRow;
  readonly repositoryPublic: boolean | null;
  readonly roles: readonly string[];
}

/** An organization in a listing, with how many repositories it holds. */
export interface ListedOrganization extends NamespaceRow {
  readonly repositoryCount: number;
  /** Those anyone may read (public by their own setting or the organization's). */
  readonly publicRepositoryCount: number;
}

export interface OrganizationListQuery {
  /** Only names containing this text (compared literally: no wildcard). */
  readonly q?: string;
  /** Keyset: the name after which (before which, descending) the page starts. */
  readonly after?: string;
  readonly descending?: boolean;
  readonly limit: number;
  /**
   * What may be visible: public organizations and these ones; undefined for all (system
   * administrators). The final decision is the authorization module's.
   */
  readonly scope?: { readonly namespaceIds: readonly string[] };
}

/** Organizations and personal namespaces: one name space for both. */
export class NamespacesRepository {
  constructor(private readonly sql: Sql) {}

  /** Throws UniqueViolationError when the name is taken by a user or an organization. */
  async create(name: string, kind: NamespaceKind, options: { public?: boolean; description?: string } = {}, db: Queryable = this.sql): Promise<string> {
    const { rows } = await db.query<{ id: string }>('INSERT INTO namespace (name, kind, public, description) VALUES ($1, $2, $3, $4) RETURNING id', [
      name,
      kind,
      options.public ?? false,
      options.description ?? '',
    ]);
    return rows[0]!.id;
  }

  async findByName(name: string): Promise<NamespaceRow | undefined> {
    const { rows } = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE n.name = $1`, [name]);
    return rows[0] && toNamespace(rows[0]);
  }

  /**
   * What an access decision on `repository` needs, in one round trip: its namespace, the
   * repository's own visibility (null when unset) and the roles `userId` holds there,
   * directly or through teams (none without a user).
   *
   * A repository nobody has created reads as private, even in a public namespace: otherwise
   * a name nobody pushed would be answered (a pull grant, then 404 NAME_UNKNOWN) unlike a
   * private repository's (no grant), and anyone could tell which private repositories a
   * public organization holds (as in CVE-2019-19030). Creating one sends an access notice.
   */
  async accessFacts(namespace: string, repository: string, userId: string | null): Promise<RepositoryAccessFacts | undefined> {
    const { rows } = await this.sql.query<Row & { repository_public: boolean | null; roles: string[] }>(
      `SELECT ${COLUMNS},
              CASE WHEN EXISTS (SELECT 1 FROM repository r WHERE r.name = $2) THEN (SELECT r.public FROM repository r WHERE r.name = $2) ELSE false END AS repository_public,
              ARRAY(SELECT m.role FROM org_member m WHERE m.namespace_id = n.id AND m.user_id = $3
                    UNION ALL
                    SELECT t.role FROM team t JOIN team_member tm ON tm.team_id = t.id WHERE t.namespace_id = n.id AND tm.user_id = $3) AS roles
         FROM ${FROM} WHERE n.name = $1`,
      [namespace, repository, userId],
    );
    const row = rows[0];
    return row && { namespace: toNamespace(row), repositoryPublic: row.repository_public, roles: row.roles };
  }

  async findById(id: string): Promise<NamespaceRow | undefined> {
    const { rows } = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM ${FROM} WHERE n.id = $1`, [id]);
    return rows[0] && toNamespace(rows[0]);
  }

  async update(id: string, changes: { public?: boolean; description?: string }): Promise<boolean> {
    const { rowCount } = await this.sql.query('UPDATE namespace SET public = COALESCE($2, public), description = COALESCE($3, description) WHERE id = $1', [
      id,
      changes.public ?? null,
      changes.description ?? null,
    ]);
    return rowCount > 0;
  }

  /** Deletes the namespace with everything it owns (repositories, members, robots...). */
  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM namespace WHERE id = $1', [id]);
    return rowCount > 0;
  }

  /**
   * Deletes the namespace with everything it owns, in one transaction, and answers the upload
   * sessions that went with its repositories (their bytes are for the caller to discard), or
   * undefined when there was no such namespace.
   */
  async deleteWithUploads(id: string): Promise<{ storageKey: string; driverState: Record<string, unknown> }[] | undefined> {
    return this.sql.transaction(async (tx) => {
      const uploads = await tx.query<{ storage_key: string; driver_state: Record<string, unknown> }>(
        'DELETE FROM upload WHERE repository_id IN (SELECT id FROM repository WHERE namespace_id = $1) RETURNING storage_key, driver_state',
        [id],
      );
      const { rowCount } = await tx.query('DELETE FROM namespace WHERE id = $1', [id]);
      return rowCount > 0 ? uploads.rows.map((u) => ({ storageKey: u.storage_key, driverState: u.driver_state })) : undefined;
    });
  }

  /** Organizations in name (byte) order, keyset-paged, each with its repository count. */
  async listOrganizations(query: OrganizationListQuery): Promise<ListedOrganization[]> {
    // The direction is one of two fixed strings, never text from the request.
    const [compare, direction] = query.descending ? ['<', 'DESC'] : ['>', 'ASC'];
    const { rows } = await this.sql.query<Row & { repository_count: string; public_repository_count: string }>(
      `SELECT n.id, n.name, n.kind, n.public, n.description, n.created_at, NULL AS owner_user_id, c.repository_count, c.public_repository_count
         FROM namespace n
         CROSS JOIN LATERAL (SELECT count(*) AS repository_count, count(*) FILTER (WHERE COALESCE(r.public, n.public)) AS public_repository_count
                               FROM repository r WHERE r.namespace_id = n.id) c
        WHERE n.kind = 'organization'
          AND ($1::text IS NULL OR strpos(n.name, lower($1)) > 0)
          AND ($2::text IS NULL OR n.name ${compare} $2)
          AND ($3::boolean OR n.public OR n.id = ANY($4::bigint[]))
        ORDER BY n.name ${direction}
        LIMIT $5`,
      [query.q ?? null, query.after ?? null, query.scope === undefined, query.scope?.namespaceIds ?? [], query.limit],
    );
    return rows.map((row) => ({ ...toNamespace(row), repositoryCount: Number(row.repository_count), publicRepositoryCount: Number(row.public_repository_count) }));
  }

  async countRepositories(id: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: string }>('SELECT count(*) AS n FROM repository WHERE namespace_id = $1', [id]);
    return Number(rows[0]!.n);
  }

  /** How many repositories a namespace holds, and how many of them anyone may read. */
  async repositoryCounts(id: string): Promise<{ repositoryCount: number; publicRepositoryCount: number }> {
    const { rows } = await this.sql.query<{ n: string; p: string }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE COALESCE(r.public, ns.public)) AS p
         FROM repository r JOIN namespace ns ON ns.id = r.namespace_id WHERE r.namespace_id = $1`,
      [id],
    );
    return { repositoryCount: Number(rows[0]!.n), publicRepositoryCount: Number(rows[0]!.p) };
  }
}
