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

  /**
   * A live session. Seeing it moves its idle deadline, but at most once a minute (a tenth of
   * the idle timeout when that is shorter): a read needs no commit to disk, a write does.
   */
  async touch(id: string, idleMs: number): Promise<SessionRow | undefined> {
    const { rows } = await this.sql.query<{ id: string; user_id: string; csrf_token: string; expires_at: Date }>(
      `WITH live AS (
         SELECT id, user_id, csrf_token, expires_at, last_seen_at FROM session
          WHERE id = $1 AND expires_at > now() AND last_seen_at > now() - make_interval(secs => $2 / 1000.0)),
       touched AS (
         UPDATE session s SET last_seen_at = now() FROM live
          WHERE s.id = live.id AND live.last_seen_at < now() - make_interval(secs => LEAST(60, $2 / 10000.0)))
       SELECT id, user_id, csrf_token, expires_at FROM live`,
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
