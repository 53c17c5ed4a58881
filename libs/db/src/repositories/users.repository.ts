import type { Sql } from '../sql';

export interface UserRow {
  readonly id: string;
  readonly namespaceId: string;
  readonly name: string;
  readonly email: string | null;
  readonly passwordHash: string;
  readonly admin: boolean;
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly lastLoginAt: Date | null;
}

interface Row {
  id: string;
  namespace_id: string;
  name: string;
  email: string | null;
  password_hash: string;
  admin: boolean;
  disabled: boolean;
  created_at: Date;
  last_login_at: Date | null;
}

const COLUMNS = 'id, namespace_id, name, email, password_hash, admin, disabled, created_at, last_login_at';

const toUser = (row: Row): UserRow => ({
  id: row.id,
  namespaceId: row.namespace_id,
  name: row.name,
  email: row.email,
  passwordHash: row.password_hash,
  admin: row.admin,
  disabled: row.disabled,
  createdAt: row.created_at,
  lastLoginAt: row.last_login_at,
});

export interface NewUser {
  readonly name: string;
  readonly passwordHash: string;
  readonly email?: string;
  readonly admin?: boolean;
}

/** Local users; each owns the personal namespace of the same name. */
export class UsersRepository {
  constructor(private readonly sql: Sql) {}

  /** Creates the user and its namespace together. UniqueViolationError when the name is taken. */
  async create(user: NewUser): Promise<UserRow> {
    return this.sql.transaction(async (tx) => {
      const namespace = await tx.query<{ id: string }>("INSERT INTO namespace (name, kind) VALUES ($1, 'user') RETURNING id", [user.name]);
      const { rows } = await tx.query<Row>(
        `INSERT INTO app_user (namespace_id, name, email, password_hash, admin) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
        [namespace.rows[0]!.id, user.name, user.email ?? null, user.passwordHash, user.admin ?? false],
      );
      return toUser(rows[0]!);
    });
  }

  async findByName(name: string): Promise<UserRow | undefined> {
    const { rows } = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM app_user WHERE name = $1`, [name]);
    return rows[0] && toUser(rows[0]);
  }

  async findById(id: string): Promise<UserRow | undefined> {
    const { rows } = await this.sql.query<Row>(`SELECT ${COLUMNS} FROM app_user WHERE id = $1`, [id]);
    return rows[0] && toUser(rows[0]);
  }

  /**
   * One page of users by name (keyset: names after `afterName`), optionally only those whose
   * name or email contains `q`, case-insensitively (a plain substring: `%` and `_` match
   * themselves). Fetch `limit + 1` to learn whether another page follows.
   */
  async search(options: { q?: string; afterName?: string; limit: number }): Promise<UserRow[]> {
    const { rows } = await this.sql.query<Row>(
      `SELECT ${COLUMNS} FROM app_user
        WHERE ($1::text IS NULL OR strpos(lower(name), lower($1)) > 0 OR strpos(lower(COALESCE(email, '')), lower($1)) > 0)
          AND ($2::text IS NULL OR name > $2)
        ORDER BY name
        LIMIT $3`,
      [options.q ?? null, options.afterName ?? null, options.limit],
    );
    return rows.map(toUser);
  }

  async count(): Promise<number> {
    const { rows } = await this.sql.query<{ n: string }>('SELECT count(*) AS n FROM app_user');
    return Number(rows[0]!.n);
  }

  async update(id: string, changes: { passwordHash?: string; admin?: boolean; disabled?: boolean; email?: string }): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE app_user SET password_hash = COALESCE($2, password_hash), admin = COALESCE($3, admin),
              disabled = COALESCE($4, disabled), email = COALESCE($5, email)
        WHERE id = $1`,
      [id, changes.passwordHash ?? null, changes.admin ?? null, changes.disabled ?? null, changes.email ?? null],
    );
    return rowCount > 0;
  }

  /** At most once a minute: clients that log in on every request should not write each time. */
  async recordLogin(id: string): Promise<void> {
    await this.sql.query("UPDATE app_user SET last_login_at = now() WHERE id = $1 AND (last_login_at IS NULL OR last_login_at < now() - interval '1 minute')", [id]);
  }

  /** Deletes the user, its personal namespace and everything in it. */
  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM namespace WHERE id = (SELECT namespace_id FROM app_user WHERE id = $1)', [id]);
    return rowCount > 0;
  }
}
