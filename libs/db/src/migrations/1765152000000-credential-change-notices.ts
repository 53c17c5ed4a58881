import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices of changed credentials on the access channel (AccessChangeNotices): a password,
 * a user's admin or disabled flag, a robot's secret, rules, expiry or disabled flag, a
 * personal access token's secret, scope, limits or expiry, and a robot or token deleted. Every
 * API process then forgets the credentials it checked (CredentialCache) and the access facts.
 * Not the columns a login writes (last_login_at, last_used_at), which would clear the caches
 * at every login.
 */
export class CredentialChangeNotices1765152000000 implements MigrationInterface {
  name = 'CredentialChangeNotices1765152000000';

  async up(db: QueryRunner): Promise<void> {
    for (const [table, events] of TRIGGERS) {
      await db.query(`CREATE TRIGGER ${table}_credential_notice AFTER ${events} ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION wharf_notify_access_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table] of TRIGGERS) await db.query(`DROP TRIGGER ${table}_credential_notice ON ${table}`);
  }
}

const TRIGGERS: readonly (readonly [string, string])[] = [
  ['app_user', 'UPDATE OF password_hash, admin, disabled'],
  ['robot', 'DELETE OR UPDATE OF secret_hash, rules, expires_at, disabled'],
  ['personal_token', 'DELETE OR UPDATE OF secret_hash, scope, namespaces, repositories, expires_at'],
];
