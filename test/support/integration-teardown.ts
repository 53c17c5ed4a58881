import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { EmbeddedDatabase } from '@wharf/db';
import { workspaceRoot } from './embedded-postgres';

export default async function teardown(): Promise<void> {
  await (globalThis as { wharfTestDatabase?: EmbeddedDatabase }).wharfTestDatabase?.stop();
  // Each run has its own cluster folder (concurrent runs must not share one): remove it.
  rmSync(join(workspaceRoot, '.cache', 'test-runs', `integration-postgres-${process.pid}`), { recursive: true, force: true });
}
