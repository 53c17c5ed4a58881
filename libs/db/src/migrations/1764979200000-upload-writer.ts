import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The request that is writing to an upload, and until when its claim holds unless renewed.
 * One writer at a time: two requests writing one upload at once (same offset, or a commit
 * during a chunk) could leave bytes in storage that differ from the digest recorded for them.
 * A claim that outlives its process (a crash) lapses on its own.
 */
export class UploadWriter1764979200000 implements MigrationInterface {
  name = 'UploadWriter1764979200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload ADD COLUMN writer uuid, ADD COLUMN writer_until timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload DROP COLUMN writer, DROP COLUMN writer_until`);
  }
}
