import type { EmbeddedDatabase } from '../../apps/api/src/database/embedded-postgres';

export default async function teardown(): Promise<void> {
  await (globalThis as { wharfTestDatabase?: EmbeddedDatabase }).wharfTestDatabase?.stop();
}
