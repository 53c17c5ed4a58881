import type { Queryable, Sql } from '../sql';

export interface PageQuery {
  readonly limit?: number;
  readonly after?: string;
}

/** Registry repositories (image names). */
export class RepositoriesRepository {
  constructor(private readonly sql: Sql) {}

  async findId(name: string): Promise<string | undefined> {
    const { rows } = await this.sql.query<{ id: string }>('SELECT id FROM repository WHERE name = $1', [name]);
    return rows[0]?.id;
  }

  /** Finds or creates, safely under concurrency. */
  async ensure(name: string, db: Queryable = this.sql): Promise<string> {
    const inserted = await db.query<{ id: string }>('INSERT INTO repository (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id', [name]);
    if (inserted.rows[0]) return inserted.rows[0].id;
    const { rows } = await db.query<{ id: string }>('SELECT id FROM repository WHERE name = $1', [name]);
    return rows[0]!.id;
  }

  /** Names of repositories holding at least one manifest, in byte order, keyset-paged. */
  async listWithContent(page: PageQuery): Promise<string[]> {
    const { rows } = await this.sql.query<{ name: string }>(
      `SELECT r.name FROM repository r
        WHERE ($1::text IS NULL OR r.name > $1)
          AND EXISTS (SELECT 1 FROM manifest m WHERE m.repository_id = r.id)
        ORDER BY r.name
        LIMIT $2`,
      [page.after ?? null, page.limit ?? null],
    );
    return rows.map((r) => r.name);
  }
}
