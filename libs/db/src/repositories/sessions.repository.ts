import type { Sql } from '../sql';

export interface SessionRow {
  readonly id: string;
  readonly userId: string;
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

/** Portal sessions, keyed by the hash of the cookie value. */
export class SessionsRepository {
  constructor(private readonly sql: Sql) {}

  async create(session: SessionRow): Promise<void> {
    await this.sql.query('INSERT INTO session (id, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)', [session.id, session.userId, session.csrfToken, session.expiresAt]);
  }

  /** A live session; seeing it moves its idle deadline (at most once a minute). */
  async touch(id: string, idleMs: number): Promise<SessionRow | undefined> {
    const { rows } = await this.sql.query<{ id: string; user_id: string; csrf_token: string; expires_at: Date }>(
      `UPDATE session SET last_seen_at = now()
        WHERE id = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2 / 1000.0)
        RETURNING id, user_id, csrf_token, expires_at`,
      [id, idleMs],
    );
    const row = rows[0];
    return row && { id: row.id, userId: row.user_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.sql.query('DELETE FROM session WHERE id = $1', [id]);
    return rowCount > 0;
  }

  /** Every session of a user (password changed, user disabled). */
  async deleteAllOfUser(userId: string): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM session WHERE user_id = $1', [userId]);
    return rowCount;
  }

  async purgeExpired(): Promise<number> {
    const { rowCount } = await this.sql.query('DELETE FROM session WHERE expires_at <= now()');
    return rowCount;
  }
}
