import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Identity and tenancy: namespaces (users and organizations share one name space), users,
 * memberships and teams with Harbor's roles, robot accounts, personal access tokens,
 * refresh tokens, token signing keys, settings and the failed-login throttle. Secrets are
 * stored only as hashes. Repositories now belong to a namespace by id, so a deleted and
 * re-created organization name inherits nothing.
 */
export class Identity1764374400000 implements MigrationInterface {
  name = 'Identity1764374400000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE namespace (
        id           bigserial PRIMARY KEY,
        name         text COLLATE "C" NOT NULL UNIQUE,
        kind         text NOT NULL CHECK (kind IN ('user', 'organization')),
        public       boolean NOT NULL DEFAULT false,
        description  text NOT NULL DEFAULT '',
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE app_user (
        id             bigserial PRIMARY KEY,
        namespace_id   bigint NOT NULL UNIQUE REFERENCES namespace (id) ON DELETE CASCADE,
        name           text COLLATE "C" NOT NULL UNIQUE,
        email          text,
        password_hash  text NOT NULL,
        admin          boolean NOT NULL DEFAULT false,
        disabled       boolean NOT NULL DEFAULT false,
        created_at     timestamptz NOT NULL DEFAULT now(),
        last_login_at  timestamptz
      )`);
    await db.query(`
      CREATE TABLE org_member (
        namespace_id  bigint NOT NULL REFERENCES namespace (id) ON DELETE CASCADE,
        user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        role          text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (namespace_id, user_id)
      )`);
    await db.query(`CREATE INDEX org_member_user_idx ON org_member (user_id)`);
    await db.query(`
      CREATE TABLE team (
        id            bigserial PRIMARY KEY,
        namespace_id  bigint NOT NULL REFERENCES namespace (id) ON DELETE CASCADE,
        name          text COLLATE "C" NOT NULL,
        role          text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        UNIQUE (namespace_id, name)
      )`);
    await db.query(`
      CREATE TABLE team_member (
        team_id  bigint NOT NULL REFERENCES team (id) ON DELETE CASCADE,
        user_id  bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        PRIMARY KEY (team_id, user_id)
      )`);
    await db.query(`CREATE INDEX team_member_user_idx ON team_member (user_id)`);
    await db.query(`
      CREATE TABLE robot (
        id            bigserial PRIMARY KEY,
        namespace_id  bigint NOT NULL REFERENCES namespace (id) ON DELETE CASCADE,
        name          text COLLATE "C" NOT NULL,
        description   text NOT NULL DEFAULT '',
        secret_hash   text NOT NULL,
        rules         jsonb NOT NULL,
        expires_at    timestamptz,
        disabled      boolean NOT NULL DEFAULT false,
        created_by    bigint REFERENCES app_user (id) ON DELETE SET NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz,
        UNIQUE (namespace_id, name)
      )`);
    await db.query(`
      CREATE TABLE personal_token (
        id            uuid PRIMARY KEY,
        user_id       bigint NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
        name          text NOT NULL,
        secret_hash   text NOT NULL,
        scope         text NOT NULL CHECK (scope IN ('read', 'read-write', 'read-write-delete')),
        namespaces    text[],
        repositories  text[],
        expires_at    timestamptz,
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_used_at  timestamptz,
        UNIQUE (user_id, name)
      )`);
    // A refresh token (docker's identity token) stands for the credential that obtained it:
    // revoking the token, deleting the robot or the user ends it.
    await db.query(`
      CREATE TABLE refresh_token (
        id                 uuid PRIMARY KEY,
        secret_hash        text NOT NULL,
        user_id            bigint REFERENCES app_user (id) ON DELETE CASCADE,
        robot_id           bigint REFERENCES robot (id) ON DELETE CASCADE,
        personal_token_id  uuid REFERENCES personal_token (id) ON DELETE CASCADE,
        client_id          text,
        created_at         timestamptz NOT NULL DEFAULT now(),
        expires_at         timestamptz NOT NULL,
        last_used_at       timestamptz,
        CHECK ((user_id IS NOT NULL) <> (robot_id IS NOT NULL))
      )`);
    await db.query(`CREATE INDEX refresh_token_user_idx ON refresh_token (user_id)`);
    await db.query(`
      CREATE TABLE signing_key (
        kid           text PRIMARY KEY,
        algorithm     text NOT NULL,
        public_jwk    jsonb NOT NULL,
        private_key   text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        retired_at    timestamptz
      )`);
    await db.query(`
      CREATE TABLE setting (
        key    text PRIMARY KEY,
        value  jsonb NOT NULL
      )`);
    await db.query(`
      CREATE TABLE login_failure (
        key           text PRIMARY KEY,
        failures      integer NOT NULL,
        window_start  timestamptz NOT NULL,
        blocked_until timestamptz
      )`);

    // Repositories pushed before access control existed are adopted by private
    // organizations of their first path component.
    await db.query(`
      INSERT INTO namespace (name, kind)
      SELECT DISTINCT split_part(name, '/', 1), 'organization' FROM repository
      ON CONFLICT (name) DO NOTHING`);
    await db.query(`ALTER TABLE repository ADD COLUMN namespace_id bigint REFERENCES namespace (id) ON DELETE CASCADE`);
    await db.query(`UPDATE repository r SET namespace_id = n.id FROM namespace n WHERE n.name = split_part(r.name, '/', 1)`);
    await db.query(`ALTER TABLE repository ALTER COLUMN namespace_id SET NOT NULL`);
    await db.query(`ALTER TABLE repository ADD COLUMN public boolean`);
    await db.query(`ALTER TABLE repository ADD COLUMN description text NOT NULL DEFAULT ''`);
    await db.query(`CREATE INDEX repository_namespace_idx ON repository (namespace_id, name)`);
    // Who opened an upload session: nobody else may read, extend, finish or cancel it.
    await db.query(`ALTER TABLE upload ADD COLUMN owner text NOT NULL DEFAULT ''`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE upload DROP COLUMN owner`);
    await db.query(`DROP INDEX repository_namespace_idx`);
    for (const column of ['description', 'public', 'namespace_id']) await db.query(`ALTER TABLE repository DROP COLUMN ${column}`);
    for (const table of ['login_failure', 'setting', 'signing_key', 'refresh_token', 'personal_token', 'robot', 'team_member', 'team', 'org_member', 'app_user', 'namespace']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
