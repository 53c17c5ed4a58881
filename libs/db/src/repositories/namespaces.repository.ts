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

  async countRepositories(id: string): Promise<number> {
    const { rows } = await this.sql.query<{ n: string }>('SELECT count(*) AS n FROM repository WHERE namespace_id = $1', [id]);
    return Number(rows[0]!.n);
  }
}
