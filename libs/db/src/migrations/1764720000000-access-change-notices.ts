import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices of what an access decision could now answer differently: a namespace created,
 * renamed, made public or private, or deleted; its owner; a repository's visibility
 * override or its deletion; a member, a team or a team member added, changed or removed
 * (directly or by a cascade). One notice per statement, without payload, on the
 * `wharf_access_changes` channel, sent at commit: every API process then forgets the access
 * facts it cached. A repository created by a push inherits its namespace's visibility,
 * as one that does not exist yet does, so its creation sends nothing.
 */
export class AccessChangeNotices1764720000000 implements MigrationInterface {
  name = 'AccessChangeNotices1764720000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION wharf_notify_access_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Identical notices of one transaction are delivered once.
        PERFORM pg_notify('wharf_access_changes', '');
        RETURN NULL;
      END $$`);
    for (const [table, events] of TRIGGERS) {
      await db.query(`CREATE TRIGGER ${table}_access_notice AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION wharf_notify_access_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table] of TRIGGERS) await db.query(`DROP TRIGGER ${table}_access_notice ON ${table}`);
    await db.query(`DROP FUNCTION wharf_notify_access_change()`);
  }
}

const TRIGGERS: readonly (readonly [string, string])[] = [
  ['namespace', 'INSERT OR DELETE OR UPDATE OF name, kind, public'],
  ['app_user', 'INSERT OR DELETE OR UPDATE OF namespace_id'],
  ['repository', 'DELETE OR UPDATE OF name, namespace_id, public'],
  ['org_member', 'INSERT OR DELETE OR UPDATE'],
  ['team', 'INSERT OR DELETE OR UPDATE'],
  ['team_member', 'INSERT OR DELETE OR UPDATE'],
];
