import type { Sql } from '../sql';

/** A robot's permission lines, stored as JSON. */
export interface StoredRobotRule {
  readonly pattern: string;
  readonly actions: readonly string[];
}

export interface RobotRow {
  readonly id: string;
  readonly namespaceId: string;
  readonly namespaceName: string;
  readonly name: string;
  readonly description: string;
  readonly secretHash: string;
  readonly rules: readonly StoredRobotRule[];
  readonly expiresAt: Date | null;
  readonly disabled: boolean;
  readonly createdBy: string | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

interface RobotDbRow {
  id: string;
  namespace_id: string;
  namespace_name: string;
  name: string;
  description: string;
  secret_hash: string;
  rules: StoredRobotRule[];
  expires_at: Date | null;
  disabled: boolean;
  created_by: string | null;
  created_at: Date;
  last_used_at: Date | null;
}

const ROBOT_SELECT = `SELECT r.id, r.namespace_id, n.name AS namespace_name, r.name, r.description, r.secret_hash, r.rules,
                             r.expires_at, r.disabled, r.created_by, r.created_at, r.last_used_at
                        FROM robot r JOIN namespace n ON n.id = r.namespace_id`;

const toRobot = (row: RobotDbRow): RobotRow => ({
  id: row.id,
  namespaceId: row.namespace_id,
  namespaceName: row.namespace_name,
  name: row.name,
  description: row.description,
  secretHash: row.secret_hash,
  rules: row.rules,
  expiresAt: row.expires_at,
  disabled: row.disabled,
  createdBy: row.created_by,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

export interface NewRobot {
  readonly namespaceId: string;
  readonly name: string;
  readonly description?: string;
  readonly secretHash: string;
  readonly rules: readonly StoredRobotRule[];
  readonly expiresAt: Date | null;
  readonly createdBy: string | null;
}

/** Robot accounts of organizations. Looked up by (namespace, id) or by full name only. */
export class RobotsRepository {
  constructor(private readonly sql: Sql) {}

  async create(robot: NewRobot): Promise<RobotRow> {
    const { rows } = await this.sql.query<{ id: string }>(
      'INSERT INTO robot (namespace_id, name, description, secret_hash, rules, expires_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id',
      [robot.namespaceId, robot.name, robot.description ?? '', robot.secretHash, JSON.stringify(robot.rules), robot.expiresAt, robot.createdBy],
    );
    return (await this.find(robot.namespaceId, rows[0]!.id))!;
  }

  async find(namespaceId: string, id: string): Promise<RobotRow | undefined> {
    const { rows } = await this.sql.query<RobotDbRow>(`${ROBOT_SELECT} WHERE r.namespace_id = $1 AND r.id = $2`, [namespaceId, id]);
    return rows[0] && toRobot(rows[0]);
  }

  /** For authentication only (the id comes from Wharf's own token, never from a request path). */
  async findById(id: string): Promise<RobotRow | undefined> {
    const { rows } = await this.sql.query<RobotDbRow>(`${ROBOT_SELECT} WHERE r.id = $1`, [id]);
    return rows[0] && toRobot(rows[0]);
  }

  /** By `robot$<namespace>+<name>`'s parts, compared with `=` (no LIKE: `_` is no wildcard). */
  async findByName(namespaceName: string, name: string): Promise<RobotRow | undefined> {
    const { rows } = await this.sql.query<RobotDbRow>(`${ROBOT_SELECT} WHERE n.name = $1 AND r.name = $2`, [namespaceName, name]);
    return rows[0] && toRobot(rows[0]);
  }

  async list(namespaceId: string): Promise<RobotRow[]> {
    const { rows } = await this.sql.query<RobotDbRow>(`${ROBOT_SELECT} WHERE r.namespace_id = $1 ORDER BY r.name`, [namespaceId]);
    return rows.map(toRobot);
  }

  async update(
    namespaceId: string,
    id: string,
    changes: { rules?: readonly StoredRobotRule[]; expiresAt?: Date | null; disabled?: boolean; secretHash?: string; description?: string },
  ): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `UPDATE robot SET rules = COALESCE($3, rules),
              expires_at = CASE WHEN $4 THEN $5 ELSE expires_at END,
              disabled = COALESCE($6, disabled), secret_hash = COALESCE($7, secret_hash), description = COALESCE($8, description)
        WHERE namespace_id = $1 AND id = $2`,
      [
        namespaceId,
        id,
        changes.rules ? JSON.stringify(changes.rules) : null,
        changes.expiresAt !== undefined,
        changes.expiresAt ?? null,
        changes.disabled ?? null,
        changes.secretHash ?? null,
        changes.description ?? null,
      ],
    );
    return rowCount > 0;
  }

  async delete(namespaceId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM robot WHERE namespace_id = $1 AND id = $2', [namespaceId, id]);
    return rowCount > 0;
  }

  async recordUse(id: string): Promise<void> {
    // At most once a minute, as for tokens: robots log in on every CI job.
    await this.sql.query("UPDATE robot SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [id]);
  }
}

export interface PersonalTokenRow {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly scope: string;
  readonly namespaces: readonly string[] | null;
  readonly repositories: readonly string[] | null;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

interface TokenDbRow {
  id: string;
  user_id: string;
  name: string;
  secret_hash: string;
  scope: string;
  namespaces: string[] | null;
  repositories: string[] | null;
  expires_at: Date | null;
  created_at: Date;
  last_used_at: Date | null;
}

const TOKEN_COLUMNS = 'id, user_id, name, secret_hash, scope, namespaces, repositories, expires_at, created_at, last_used_at';

const toToken = (row: TokenDbRow): PersonalTokenRow => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  secretHash: row.secret_hash,
  scope: row.scope,
  namespaces: row.namespaces,
  repositories: row.repositories,
  expiresAt: row.expires_at,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
});

export type NewPersonalToken = Omit<PersonalTokenRow, 'createdAt' | 'lastUsedAt'>;

/** Personal access tokens; always looked up by (user, id) or by id for authentication. */
export class PersonalTokensRepository {
  constructor(private readonly sql: Sql) {}

  async create(token: NewPersonalToken): Promise<PersonalTokenRow> {
    const { rows } = await this.sql.query<TokenDbRow>(
      `INSERT INTO personal_token (id, user_id, name, secret_hash, scope, namespaces, repositories, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${TOKEN_COLUMNS}`,
      [token.id, token.userId, token.name, token.secretHash, token.scope, token.namespaces, token.repositories, token.expiresAt],
    );
    return toToken(rows[0]!);
  }

  async findById(id: string): Promise<PersonalTokenRow | undefined> {
    const { rows } = await this.sql.query<TokenDbRow>(`SELECT ${TOKEN_COLUMNS} FROM personal_token WHERE id = $1`, [id]);
    return rows[0] && toToken(rows[0]);
  }

  async list(userId: string): Promise<PersonalTokenRow[]> {
    const { rows } = await this.sql.query<TokenDbRow>(`SELECT ${TOKEN_COLUMNS} FROM personal_token WHERE user_id = $1 ORDER BY created_at, name`, [userId]);
    return rows.map(toToken);
  }

  async delete(userId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM personal_token WHERE user_id = $1 AND id = $2', [userId, id]);
    return rowCount > 0;
  }

  async recordUse(id: string): Promise<void> {
    // At most once a minute: a CI job logging in in a loop should not write on every request.
    await this.sql.query("UPDATE personal_token SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [id]);
  }
}

export interface RefreshTokenRow {
  readonly id: string;
  readonly secretHash: string;
  readonly userId: string | null;
  readonly robotId: string | null;
  readonly personalTokenId: string | null;
  readonly expiresAt: Date;
}

/** Refresh tokens (docker's identity tokens) of the OAuth2 token flow. */
export class RefreshTokensRepository {
  constructor(private readonly sql: Sql) {}

  async create(token: RefreshTokenRow & { clientId?: string }): Promise<void> {
    await this.sql.query(
      'INSERT INTO refresh_token (id, secret_hash, user_id, robot_id, personal_token_id, client_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [token.id, token.secretHash, token.userId, token.robotId, token.personalTokenId, token.clientId ?? null, token.expiresAt],
    );
  }

  /** Only a token that has not expired. */
  async findLive(id: string): Promise<RefreshTokenRow | undefined> {
    const { rows } = await this.sql.query<{ id: string; secret_hash: string; user_id: string | null; robot_id: string | null; personal_token_id: string | null; expires_at: Date }>(
      'SELECT id, secret_hash, user_id, robot_id, personal_token_id, expires_at FROM refresh_token WHERE id = $1 AND expires_at > now()',
      [id],
    );
    const row = rows[0];
    return row && { id: row.id, secretHash: row.secret_hash, userId: row.user_id, robotId: row.robot_id, personalTokenId: row.personal_token_id, expiresAt: row.expires_at };
  }

  async recordUse(id: string): Promise<void> {
    await this.sql.query("UPDATE refresh_token SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [id]);
  }

  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM refresh_token WHERE id = $1', [id]);
    return rowCount > 0;
  }

  /** Every refresh token of a user (logout everywhere, password change). */
  async revokeAllOfUser(userId: string): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM refresh_token WHERE user_id = $1', [userId]);
    return rowCount;
  }

  async revokeAllOfRobot(robotId: string): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM refresh_token WHERE robot_id = $1', [robotId]);
    return rowCount;
  }
}
