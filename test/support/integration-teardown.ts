import { rmSync } from 'node:fs';
import { join } from 'node:path';

import type { EmbeddedDatabase } from '@wharf/db';
import { workspaceRoot } from './embedded-postgres';
import type { MinioServer } from './minio';

export default async function teardown(): Promise<void> {
  const started = globalThis as { wharfTestDatabase?: EmbeddedDatabase; wharfTestMinio?: MinioServer };
  await started.wharfTestMinio?.stop();
  await started.wharfTestDatabase?.stop();
  // Each run has its own cluster folder (concurrent runs must not share one): remove it.
  for (const name of [`integration-postgres-${process.pid}`, `integration-minio-${process.pid}`]) {
    rmSync(join(workspaceRoot, '.cache', 'test-runs', name), { recursive: true, force: true });
  }
}
