import { rmSync } from 'node:fs';
import { join } from 'node:path';

// The same embedded PostgreSQL `npm start` uses.
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@wharf/db';

export const workspaceRoot = join(__dirname, '..', '..');

/** A fresh PostgreSQL cluster for one test run, under .cache/test-runs/<name>. */
export async function startTestPostgres(name: string): Promise<EmbeddedDatabase> {
  const dir = join(workspaceRoot, '.cache', 'test-runs', name);
  rmSync(dir, { recursive: true, force: true });
  return startEmbeddedPostgres(dir);
}
