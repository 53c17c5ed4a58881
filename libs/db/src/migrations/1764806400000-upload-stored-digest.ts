import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The digest of an upload's stored bytes, kept with their size by the process that hashed
 * all of them: another process (a restart, or a load balancer's next pick) can then commit
 * the upload without reading it back. Null when nobody hashed them all.
 */
export class UploadStoredDigest1764806400000 implements MigrationInterface {
  name = 'UploadStoredDigest1764806400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload ADD COLUMN stored_digest text`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload DROP COLUMN stored_digest`);
  }
}
