import type { Sql } from '../sql';

import type { PageQuery } from './repositories.repository';

export class TagsRepository {
  constructor(private readonly sql: Sql) {}

  /** Tag names of a repository in byte order, keyset-paged. */
  async list(repositoryId: string, page: PageQuery): Promise<string[]> {
    const { rows } = await this.sql.query<{ name: string }>(
      `SELECT name FROM tag
        WHERE repository_id = $1 AND ($2::text IS NULL OR name > $2)
        ORDER BY name
        LIMIT $3`,
      [repositoryId, page.after ?? null, page.limit ?? null],
    );
    return rows.map((r) => r.name);
  }

  async delete(repository: string, tag: string): Promise<boolean> {
    const { rowCount } = await this.sql.query(
      `DELETE FROM tag t USING repository r
        WHERE t.repository_id = r.id AND r.name = $1 AND t.name = $2`,
      [repository, tag],
    );
    return rowCount > 0;
  }
}
