import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { workspaceRoot } from './embedded-postgres';

export default async function teardown(): Promise<void> {
  await (globalThis as { wharfE2e?: { stop(): Promise<void> } }).wharfE2e?.stop();
  execFileSync('bash', [join(workspaceRoot, 'infra/scripts/dockerd.sh'), 'stop'], { stdio: 'inherit', env: { ...process.env, WHARF_DOCKERD_DIR: join(workspaceRoot, '.cache', 'dockerd') } });
}
