import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices of what a manifest lookup could now answer differently: a tag set, moved or
 * removed, a manifest removed (directly or by a cascade from its repository or
 * namespace). Each carries the repository id on the `wharf_manifest_changes` channel, sent
 * at commit, so that every API process drops what it cached for that repository. Pull
 * times and sizes are not lookup results and send nothing.
 */
export class ManifestChangeNotices1764547200000 implements MigrationInterface {
  name = 'ManifestChangeNotices1764547200000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION wharf_notify_manifest_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Identical notices of one transaction are delivered once.
        PERFORM pg_notify('wharf_manifest_changes', (CASE WHEN TG_OP = 'DELETE' THEN OLD.repository_id ELSE NEW.repository_id END)::text);
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER tag_change_notice AFTER INSERT OR DELETE OR UPDATE OF manifest_id, repository_id, name ON tag
        FOR EACH ROW EXECUTE FUNCTION wharf_notify_manifest_change()`);
    await db.query(`
      CREATE TRIGGER manifest_change_notice AFTER DELETE ON manifest
        FOR EACH ROW EXECUTE FUNCTION wharf_notify_manifest_change()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER manifest_change_notice ON manifest`);
    await db.query(`DROP TRIGGER tag_change_notice ON tag`);
    await db.query(`DROP FUNCTION wharf_notify_manifest_change()`);
  }
}
