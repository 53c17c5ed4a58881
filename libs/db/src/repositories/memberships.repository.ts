import type { Sql } from '../sql';

export interface MemberRow {
  readonly userId: string;
  readonly userName: string;
  readonly role: string;
}

export interface TeamRow {
  readonly id: string;
  readonly namespaceId: string;
  readonly name: string;
  readonly role: string;
}

/**
 * Who holds which role in an organization: direct members and teams. Every lookup of a
 * child row is by (namespace, id), never by id alone.
 */
export class MembershipsRepository {
  constructor(private readonly sql: Sql) {}

  /** Every role a user holds in a namespace: the direct one and those of their teams. */
  async rolesOf(userId: string, namespaceId: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ role: string }>(
      `SELECT role FROM org_member WHERE namespace_id = $2 AND user_id = $1
       UNION ALL
       SELECT t.role FROM team t JOIN team_member tm ON tm.team_id = t.id WHERE t.namespace_id = $2 AND tm.user_id = $1`,
      [userId, namespaceId],
    );
    return rows.map((r) => r.role);
  }

  /** Ids of the organizations where the user holds any role. */
  async namespacesOf(userId: string): Promise<string[]> {
    const { rows } = await this.sql.query<{ id: string }>(
      `SELECT namespace_id AS id FROM org_member WHERE user_id = $1
       UNION
       SELECT t.namespace_id FROM team t JOIN team_member tm ON tm.team_id = t.id WHERE tm.user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.id);
  }

  async setMember(namespaceId: string, userId: string, role: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO org_member (namespace_id, user_id, role) VALUES ($1, $2, $3)
       ON CONFLICT (namespace_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
      [namespaceId, userId, role],
    );
  }

  async removeMember(namespaceId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM org_member WHERE namespace_id = $1 AND user_id = $2', [namespaceId, userId]);
    return rowCount > 0;
  }

  async members(namespaceId: string): Promise<MemberRow[]> {
    const { rows } = await this.sql.query<{ user_id: string; user_name: string; role: string }>(
      `SELECT m.user_id, u.name AS user_name, m.role FROM org_member m JOIN app_user u ON u.id = m.user_id
        WHERE m.namespace_id = $1 ORDER BY u.name`,
      [namespaceId],
    );
    return rows.map((r) => ({ userId: r.user_id, userName: r.user_name, role: r.role }));
  }

  async createTeam(namespaceId: string, name: string, role: string): Promise<TeamRow> {
    const { rows } = await this.sql.query<{ id: string }>('INSERT INTO team (namespace_id, name, role) VALUES ($1, $2, $3) RETURNING id', [namespaceId, name, role]);
    return { id: rows[0]!.id, namespaceId, name, role };
  }

  async findTeam(namespaceId: string, teamId: string): Promise<TeamRow | undefined> {
    const { rows } = await this.sql.query<{ id: string; name: string; role: string }>('SELECT id, name, role FROM team WHERE namespace_id = $1 AND id = $2', [
      namespaceId,
      teamId,
    ]);
    return rows[0] && { id: rows[0].id, namespaceId, name: rows[0].name, role: rows[0].role };
  }

  async teams(namespaceId: string): Promise<TeamRow[]> {
    const { rows } = await this.sql.query<{ id: string; name: string; role: string }>('SELECT id, name, role FROM team WHERE namespace_id = $1 ORDER BY name', [namespaceId]);
    return rows.map((r) => ({ id: r.id, namespaceId, name: r.name, role: r.role }));
  }

  async updateTeam(namespaceId: string, teamId: string, role: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('UPDATE team SET role = $3 WHERE namespace_id = $1 AND id = $2', [namespaceId, teamId, role]);
    return rowCount > 0;
  }

  async deleteTeam(namespaceId: string, teamId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM team WHERE namespace_id = $1 AND id = $2', [namespaceId, teamId]);
    return rowCount > 0;
  }

  async addTeamMember(namespaceId: string, teamId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `INSERT INTO team_member (team_id, user_id) SELECT id, $3 FROM team WHERE namespace_id = $1 AND id = $2
       ON CONFLICT DO NOTHING`,
      [namespaceId, teamId, userId],
    );
    return rowCount > 0;
  }

  async removeTeamMember(namespaceId: string, teamId: string, userId: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      'DELETE FROM team_member tm USING team t WHERE tm.team_id = t.id AND t.namespace_id = $1 AND t.id = $2 AND tm.user_id = $3',
      [namespaceId, teamId, userId],
    );
    return rowCount > 0;
  }

  async teamMembers(namespaceId: string, teamId: string): Promise<MemberRow[]> {
    const { rows } = await this.sql.query<{ user_id: string; user_name: string; role: string }>(
      `SELECT u.id AS user_id, u.name AS user_name, t.role FROM team t
         JOIN team_member tm ON tm.team_id = t.id JOIN app_user u ON u.id = tm.user_id
        WHERE t.namespace_id = $1 AND t.id = $2 ORDER BY u.name`,
      [namespaceId, teamId],
    );
    return rows.map((r) => ({ userId: r.user_id, userName: r.user_name, role: r.role }));
  }
}
