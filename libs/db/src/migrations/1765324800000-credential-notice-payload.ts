import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Credential changes (CredentialChangeNotices), and a user deleted, announce themselves on the
 * access channel with the payload `credentials`: every process then forgets the credentials
 * it checked as well as its access facts. Other access changes (a repository created, a
 * member added) keep the empty payload and leave checked credentials alone, so that they do
 * not cost every process a password hash at the next login.
 */
export class CredentialNoticePayload1765324800000 implements MigrationInterface {
  name = 'CredentialNoticePayload1765324800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION wharf_notify_credential_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('wharf_access_changes', 'credentials');
        RETURN NULL;
      END $$`);
    for (const [table, events] of TRIGGERS) {
      await db.query(`DROP TRIGGER IF EXISTS ${table}_credential_notice ON ${table}`);
      await db.query(`CREATE TRIGGER ${table}_credential_notice AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION wharf_notify_credential_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table, events] of PREVIOUS) {
      await db.query(`DROP TRIGGER ${table}_credential_notice ON ${table}`);
      await db.query(`CREATE TRIGGER ${table}_credential_notice AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION wharf_notify_access_change()`);
    }
    await db.query(`DROP FUNCTION wharf_notify_credential_change()`);
  }
}

const TRIGGERS: readonly (readonly [string, string])[] = [
  ['app_user', 'DELETE OR UPDATE OF password_hash, admin, disabled'],
  ['robot', 'DELETE OR UPDATE OF secret_hash, rules, expires_at, disabled'],
  ['personal_token', 'DELETE OR UPDATE OF secret_hash, scope, namespaces, repositories, expires_at'],
];

/** The triggers as CredentialChangeNotices created them, for `down`. */
const PREVIOUS: readonly (readonly [string, string])[] = [
  ['app_user', 'UPDATE OF password_hash, admin, disabled'],
  ['robot', 'DELETE OR UPDATE OF secret_hash, rules, expires_at, disabled'],
  ['personal_token', 'DELETE OR UPDATE OF secret_hash, scope, namespaces, repositories, expires_at'],
];
