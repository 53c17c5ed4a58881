import { startTestPostgres } from './embedded-postgres';
import { startMinio } from './minio';

/**
 * Integration tests share one real PostgreSQL (each test file makes its own database in it)
 * and one real MinIO (each test makes its own bucket).
 */
export default async function setup(): Promise<void> {
  const database = await startTestPostgres(`integration-postgres-${process.pid}`);
  const minio = await startMinio(`integration-minio-${process.pid}`);
  Object.assign(process.env, {
    WHARF_TEST_DATABASE_URL: database.url,
    WHARF_TEST_S3_ENDPOINT: minio.endpoint,
    WHARF_TEST_S3_ACCESS_KEY: minio.accessKey,
    WHARF_TEST_S3_SECRET_KEY: minio.secretKey,
  });
  Object.assign(globalThis, { wharfTestDatabase: database, wharfTestMinio: minio });
}
