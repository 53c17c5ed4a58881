import type { Queryable, Sql } from '../sql';

/** What a change of direct membership did (see MembershipsRepository.setMember). */
export type MembershipChange = 'changed' | 'not-a-member' | 'last-admin';

/** The stored name of the admin role (authz's Role.Admin; the db library does not import authz). */
const ADMIN = 'admin';

/** Thrown inside a transaction to roll it back. */
class LastAdminRefused extends Error {}

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

  /** Every role a user holds in each of several namespaces (for listings): namespace id → roles. */
  async rolesIn(userId: string, namespaceIds: readonly string[]): Promise<Map<string, string[]>> {
    const roles = new Map<string, string[]>(namespaceIds.map((id) => [id, []]));
    if (namespaceIds.length === 0) return roles;
    const { rows } = await this.sql.query<{ namespace_id: string; role: string }>(
      `SELECT namespace_id, role FROM org_member WHERE user_id = $1 AND namespace_id = ANY($2::bigint[])
       UNION ALL
       SELECT t.namespace_id, t.role FROM team t JOIN team_member tm ON tm.team_id = t.id WHERE tm.user_id = $1 AND t.namespace_id = ANY($2::bigint[])`,
      [userId, namespaceIds],
    );
    for (const row of rows) roles.get(row.namespace_id)?.push(row.role);
    return roles;
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

  /**
   * Adds a direct member or changes their role. `last-admin`: refused (nothing changed), since
   * it would leave the organization without a direct admin.
   */
  async setMember(namespaceId: string, userId: string, role: string): Promise<MembershipChange> {
    return this.keepingAnAdmin(namespaceId, userId, async (tx) => {
      await tx.query(
        `INSERT INTO org_member (namespace_id, user_id, role) VALUES ($1, $2, $3)
         ON CONFLICT (namespace_id, user_id) DO UPDATE SET role = EXCLUDED.role`,
        [namespaceId, userId, role],
      );
      return true;
    });
  }

  /** Removes a direct member; `last-admin` as for setMember. */
  async removeMember(namespaceId: string, userId: string): Promise<MembershipChange> {
    return this.keepingAnAdmin(namespaceId, userId, async (tx) => {
      const { rowCount } = await tx.query('DELETE FROM org_member WHERE namespace_id = $1 AND user_id = $2', [namespaceId, userId]);
      return rowCount > 0;
    });
  }

  /**
   * Applies `change` (false: there was no such member) unless it takes away the last direct
   * admin of an organization that had one. The namespace row is locked for the check, so two
   * admins demoting each other at once cannot both succeed.
   */
  private async keepingAnAdmin(namespaceId: string, userId: string, change: (tx: Queryable) => Promise<boolean>): Promise<MembershipChange> {
    try {
      return await this.sql.transaction(async (tx) => {
        await tx.query('SELECT 1 FROM namespace WHERE id = $1 FOR UPDATE', [namespaceId]);
        const { rows: before } = await tx.query<{ role: string }>('SELECT role FROM org_member WHERE namespace_id = $1 AND user_id = $2', [namespaceId, userId]);
        if (!(await change(tx))) return 'not-a-member';
        if (before[0]?.role === ADMIN) {
          const { rows: admins } = await tx.query('SELECT 1 FROM org_member WHERE namespace_id = $1 AND role = $2 LIMIT 1', [namespaceId, ADMIN]);
          if (admins.length === 0) throw new LastAdminRefused();
        }
        return 'changed';
      });
    } catch (error) {
      if (error instanceof LastAdminRefused) return 'last-admin';
      throw error;
    }
  }

  async members(namespaceId: string): Promise<MemberRow[]> {
    const { rows } = await this.sql.query<{ user_id: string; user_name: string; role: string }>(
      `SELECT m.user_id, u.name AS user_name, m.role FROM org_member m JOIN app_user u ON u.id = m.user_id
        WHERE m.namespace_id = $1 ORDER BY u.name`,
      [namespaceId],
    );
    return rows.map((r) => ({ userId: r.user_id, userName: r.user_name, role: r.role }));
  }

  /** Direct members in name (byte) order, keyset-paged after `after`. */
  async membersPage(namespaceId: string, page: { after?: string; limit: number }): Promise<MemberRow[]> {
    const { rows } = await this.sql.query<{ user_id: string; user_name: string; role: string }>(
      `SELECT m.user_id, u.name AS user_name, m.role FROM org_member m JOIN app_user u ON u.id = m.user_id
        WHERE m.namespace_id = $1 AND ($2::text IS NULL OR u.name > $2)
        ORDER BY u.name LIMIT $3`,
      [namespaceId, page.after ?? null, page.limit],
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

  /** Renames a team or changes its role; undefined when no such team in this namespace. UniqueViolationError for a taken name. */
  async updateTeam(namespaceId: string, teamId: string, changes: { name?: string; role?: string }): Promise<TeamRow | undefined> {
    const { rows } = await this.sql.query<{ id: string; name: string; role: string }>(
      'UPDATE team SET name = COALESCE($3, name), role = COALESCE($4, role) WHERE namespace_id = $1 AND id = $2 RETURNING id, name, role',
      [namespaceId, teamId, changes.name ?? null, changes.role ?? null],
    );
    return rows[0] && { id: rows[0].id, namespaceId, name: rows[0].name, role: rows[0].role };
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
