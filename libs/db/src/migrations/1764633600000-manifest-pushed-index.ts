import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of each repository's manifests by push time: a repository's latest push is one
 * index probe rather than a scan of all its manifests (every repository page and listing
 * shows it), and artifacts sorted by push time page along the index.
 */
export class ManifestPushedIndex1764633600000 implements MigrationInterface {
  name = 'ManifestPushedIndex1764633600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE INDEX manifest_pushed_idx ON manifest (repository_id, pushed_at, digest)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX manifest_pushed_idx`);
  }
}
