import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A repository's creation is an access change too: one that does not exist reads as private
 * (NamespacesRepository.accessFacts), so a public namespace's new repository becomes readable
 * to anyone when it is created. Per row, because a push inserts its repository with ON
 * CONFLICT DO NOTHING on every upload, and only an insert that happened may clear the caches.
 */
export class RepositoryCreatedNotice1765065600000 implements MigrationInterface {
  name = 'RepositoryCreatedNotice1765065600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TRIGGER repository_created_access_notice AFTER INSERT ON repository FOR EACH ROW EXECUTE FUNCTION wharf_notify_access_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER repository_created_access_notice ON repository`);
  }
}
