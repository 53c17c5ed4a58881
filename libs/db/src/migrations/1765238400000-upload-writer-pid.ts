import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PostgreSQL backend of the process whose request claims an upload (its long-lived notice
 * connection): when that backend is gone from pg_stat_activity, the process died or lost the
 * database, and another request may take the upload at once instead of when the claim lapses.
 * Null when the claiming process had no such connection: then only the lapse frees it.
 */
export class UploadWriterPid1765238400000 implements MigrationInterface {
  name = 'UploadWriterPid1765238400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload ADD COLUMN writer_pid integer`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload DROP COLUMN writer_pid`);
  }
}
