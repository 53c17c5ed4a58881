import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The saved state of the SHA-256 of an upload's stored bytes, kept with their size where the
 * store cannot read an unfinished upload (S3): the process that takes the next chunk, or the
 * commit, goes on from it instead of reading the upload back. Null when no savable hash was
 * kept.
 */
export class UploadHashState1764892800000 implements MigrationInterface {
  name = 'UploadHashState1764892800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload ADD COLUMN hash_state bytea`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload DROP COLUMN hash_state`);
  }
}
