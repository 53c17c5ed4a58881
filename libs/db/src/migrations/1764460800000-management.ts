import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The management API: portal sessions (stored hashed, ended server-side at logout), each
 * manifest's total size (itself, its blobs and its children's, fixed at push so that lists
 * sort by size without summing), and an index for paging tags by push time.
 */
export class Management1764460800000 implements MigrationInterface {
  name = 'Management1764460800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE session (
        id            text PRIMARY KEY,
        user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        csrf_token    text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz NOT NULL DEFAULT now(),
        expires_at    timestamptz NOT NULL
      )`);
    await db.query(`CREATE INDEX session_user_idx ON session (user_id)`);
    await db.query(`ALTER TABLE manifest ADD COLUMN total_size bigint NOT NULL DEFAULT 0`);
    await db.query(`
      UPDATE manifest m SET total_size = m.size + COALESCE((
        SELECT sum(b.size) FROM manifest_blob mb JOIN blob b ON b.digest = mb.digest WHERE mb.manifest_id = m.id), 0)`);
    // Indexes are one level deep: add their children's totals once every image has its own.
    await db.query(`
      UPDATE manifest m SET total_size = m.total_size + COALESCE((
        SELECT sum(c.total_size) FROM manifest_child mc JOIN manifest c ON c.repository_id = m.repository_id AND c.digest = mc.child_digest
         WHERE mc.manifest_id = m.id), 0)
       WHERE EXISTS (SELECT 1 FROM manifest_child mc WHERE mc.manifest_id = m.id)`);
    await db.query(`CREATE INDEX tag_pushed_idx ON tag (repository_id, pushed_at, name)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX tag_pushed_idx`);
    await db.query(`ALTER TABLE manifest DROP COLUMN total_size`);
    await db.query(`DROP TABLE session`);
  }
}
