import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Registry core: repositories, deduplicated blobs and their links, manifests with their
 * references, tags and upload sessions. Names and digests use the "C" collation so that
 * ORDER BY and keyset paging follow byte order, as the distribution spec's clients expect,
 * whatever the database's default locale.
 */
export class RegistryCore1764288000000 implements MigrationInterface {
  name = 'RegistryCore1764288000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE repository (
        id          bigserial PRIMARY KEY,
        name        text COLLATE "C" NOT NULL UNIQUE,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE blob (
        digest       text COLLATE "C" PRIMARY KEY,
        size         bigint NOT NULL CHECK (size >= 0),
        storage_key  text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE repository_blob (
        repository_id  bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
        digest         text COLLATE "C" NOT NULL REFERENCES blob (digest),
        created_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repository_id, digest)
      )`);
    await db.query(`CREATE INDEX repository_blob_digest_idx ON repository_blob (digest)`);
    await db.query(`
      CREATE TABLE manifest (
        id              bigserial PRIMARY KEY,
        repository_id   bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
        digest          text COLLATE "C" NOT NULL,
        media_type      text NOT NULL,
        artifact_type   text,
        content         bytea NOT NULL,
        size            integer NOT NULL,
        subject_digest  text COLLATE "C",
        annotations     jsonb,
        pushed_at       timestamptz NOT NULL DEFAULT now(),
        last_pulled_at  timestamptz,
        UNIQUE (repository_id, digest)
      )`);
    await db.query(`CREATE INDEX manifest_subject_idx ON manifest (repository_id, subject_digest) WHERE subject_digest IS NOT NULL`);
    await db.query(`
      CREATE TABLE manifest_blob (
        manifest_id  bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
        digest       text COLLATE "C" NOT NULL,
        PRIMARY KEY (manifest_id, digest)
      )`);
    await db.query(`CREATE INDEX manifest_blob_digest_idx ON manifest_blob (digest)`);
    await db.query(`
      CREATE TABLE manifest_child (
        manifest_id   bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
        child_digest  text COLLATE "C" NOT NULL,
        PRIMARY KEY (manifest_id, child_digest)
      )`);
    await db.query(`CREATE INDEX manifest_child_digest_idx ON manifest_child (child_digest)`);
    await db.query(`
      CREATE TABLE tag (
        repository_id  bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
        name           text COLLATE "C" NOT NULL,
        manifest_id    bigint NOT NULL REFERENCES manifest (id) ON DELETE CASCADE,
        pushed_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (repository_id, name)
      )`);
    await db.query(`CREATE INDEX tag_manifest_idx ON tag (manifest_id)`);
    await db.query(`
      CREATE TABLE upload (
        id             uuid PRIMARY KEY,
        repository_id  bigint NOT NULL REFERENCES repository (id) ON DELETE CASCADE,
        storage_key    text NOT NULL,
        driver_state   jsonb NOT NULL DEFAULT '{}'::jsonb,
        size           bigint NOT NULL DEFAULT 0,
        created_at     timestamptz NOT NULL DEFAULT now(),
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX upload_updated_idx ON upload (updated_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['upload', 'tag', 'manifest_child', 'manifest_blob', 'manifest', 'repository_blob', 'blob', 'repository']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
