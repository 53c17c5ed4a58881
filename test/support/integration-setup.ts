import { startTestPostgres } from './embedded-postgres';

/** Integration tests share one real PostgreSQL; each test file makes its own database in it. */
export default async function setup(): Promise<void> {
  const database = await startTestPostgres(`integration-postgres-${process.pid}`);
  process.env.WHARF_TEST_DATABASE_URL = database.url;
  (globalThis as { wharfTestDatabase?: typeof database }).wharfTestDatabase = database;
}
